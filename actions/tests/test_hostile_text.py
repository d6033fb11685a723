"""Hostile text is stored exactly as typed and shown escaped: script tags, SQL, very long text,
right-to-left text and emoji.
"""

import pytest
from django.test import Client

from actions.models import Action, ProgressUpdate
from actions.services.editing import action_update
from actions.tests.test_edit import _data

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
SQL = "'; DROP TABLE actions_action; --"
RTL = "\u202eالتقدم جيد\u202c עברית"
EMOJI = "🚑 on track 👍🏽 \u200d"
LONG = "Ambulance " * 500  # 5,000 characters


@pytest.mark.parametrize("text", [SCRIPT, SQL, RTL, EMOJI, LONG.strip(), SCRIPT + SQL + RTL + EMOJI])
def test_a_hostile_narrative_is_stored_faithfully_and_shown_escaped(owner, action, text):
    text = text[:5000]
    client = Client()
    client.force_login(owner)
    response = client.post(
        f"/actions/{action.reference}/progress/", {"narrative": text, "status": "on_track", "percent_complete": "5"}
    )
    assert response.status_code == 302
    assert ProgressUpdate.objects.get().narrative == text.replace("\r\n", "\n")
    body = client.get(f"/actions/{action.reference}/").content.decode()
    assert "<script>alert" not in body and "<img src=x" not in body
    if text.startswith("<script>"):
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    assert Action.objects.count() == 1  # the SQL fragment was data, not a statement


def test_hostile_titles_survive_the_register_detail_history_and_export(lead, action):
    title = (SCRIPT + " " + SQL + " " + RTL + " " + EMOJI)[:200]
    action_update(action=action, editor=lead, data={**_data(action), "title": title}, expected_version=1)
    action.refresh_from_db()
    assert action.title == title.strip()
    client = Client()
    client.force_login(lead)
    for url in ("/actions/", f"/actions/{action.reference}/", "/actions/?q=DROP"):
        body = client.get(url).content.decode()
        assert "<script>alert" not in body and "<img src=x" not in body
        assert "🚑" in body and "التقدم" in body
    export = client.get("/actions/export.csv").content.decode("utf-8-sig")
    assert SQL in export and "🚑" in export


def test_a_title_that_looks_like_a_formula_is_neutralised_in_the_export(lead, action):
    action_update(
        action=action, editor=lead, data={**_data(action), "title": '=HYPERLINK("http://x")'}, expected_version=1
    )
    client = Client()
    client.force_login(lead)
    export = client.get("/actions/export.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in export
