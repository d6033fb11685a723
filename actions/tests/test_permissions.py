"""Who may reach each staff page: every URL × anonymous, owner, other owner, lead, board, comms, outsider.

The owner persona owns the actions used here; the lead persona owns none of them (so may assure).
Anonymous visitors go to the sign-in page and come back afterwards; signed-in people without the
permission get 403; an unknown action or file is 404.
"""

from urllib.parse import quote

import pytest

from actions.models import Action, Evidence, ProgressUpdate

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "owner", "other_owner", "lead", "board", "comms", "outsider"]

# url template -> expected GET status for each persona, in PERSONAS order. 302 = to the sign-in page.
GET_EXPECTED = {
    "/actions/": [302, 200, 200, 200, 200, 403, 403],
    "/actions/mine/": [302, 200, 200, 200, 200, 403, 403],
    "/actions/{ref}/": [302, 200, 200, 200, 200, 403, 403],
    # Evidence is need-to-know: not another owner (issue 18).
    "/actions/{ref}/evidence/{evidence}/": [302, 200, 403, 200, 200, 403, 403],
    "/actions/{ref}/progress/": [302, 200, 403, 200, 403, 403, 403],
    "/actions/{ref}/evidence/": [302, 200, 403, 200, 403, 403, 403],
    "/actions/{complete}/assure/": [302, 403, 403, 200, 403, 403, 403],
    "/actions/new/": [302, 403, 403, 200, 403, 403, 403],
    "/actions/{ref}/edit/": [302, 403, 403, 200, 403, 403, 403],
    "/actions/export.csv": [302, 403, 403, 200, 403, 403, 403],
    "/actions/import/": [302, 403, 403, 200, 403, 403, 403],
}
# POSTs with an empty form: 200 is the form again with its errors (allowed, nothing saved), except
# the sign-off, which has no fields and succeeds for the lead (302 to the action).
POST_EXPECTED = {
    "/actions/{ref}/progress/": [302, 200, 403, 200, 403, 403, 403],
    "/actions/{ref}/evidence/": [302, 200, 403, 200, 403, 403, 403],
    "/actions/{complete}/assure/": [302, 403, 403, 302, 403, 403, 403],
    "/actions/new/": [302, 403, 403, 200, 403, 403, 403],
    "/actions/{ref}/edit/": [302, 403, 403, 200, 403, 403, 403],
    "/actions/import/": [302, 403, 403, 200, 403, 403, 403],
}


def _cases(table):
    return [
        pytest.param(url, persona, expected, id=f"{persona}-{url}")
        for url, statuses in table.items()
        for persona, expected in zip(PERSONAS, statuses, strict=True)
    ]


@pytest.fixture
def people(request, owner, other_owner, lead, board, comms, outsider):
    return {
        "anonymous": None,
        "owner": owner,
        "other_owner": other_owner,
        "lead": lead,
        "board": board,
        "comms": comms,
        "outsider": outsider,
    }


def _url(template, action, evidence, complete_action):
    return template.format(ref=action.reference, evidence=evidence.pk, complete=complete_action.reference)


@pytest.mark.parametrize(("template", "persona", "expected"), _cases(GET_EXPECTED))
def test_who_may_open_each_staff_page(
    template, persona, expected, people, client_for, action, evidence, complete_action
):
    url = _url(template, action, evidence, complete_action)
    response = client_for(people[persona]).get(url)
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"] == f"/accounts/login/?next={quote(url)}"


@pytest.mark.parametrize(("template", "persona", "expected"), _cases(POST_EXPECTED))
def test_who_may_send_each_staff_form(
    template, persona, expected, people, client_for, action, evidence, complete_action
):
    url = _url(template, action, evidence, complete_action)
    before = (Action.objects.count(), ProgressUpdate.objects.count(), Evidence.objects.count())
    response = client_for(people[persona]).post(url, {})
    assert response.status_code == expected
    if expected == 302 and persona == "anonymous":
        assert response["Location"].startswith("/accounts/login/?next=")
    if persona != "lead" or "assure" not in template:
        # Refused, or an empty form: nothing stored.
        assert (Action.objects.count(), ProgressUpdate.objects.count(), Evidence.objects.count()) == before


def test_an_unknown_reference_is_not_found(client_for, lead):
    for url in ("/actions/MD-999/", "/actions/MD-999/progress/", "/actions/MD-999/edit/", "/actions/MD-999/assure/"):
        assert client_for(lead).get(url).status_code == 404


def test_evidence_is_only_served_under_its_own_action(client_for, board, action, complete_action):
    other_evidence = complete_action.evidence.get()
    response = client_for(board).get(f"/actions/{action.reference}/evidence/{other_evidence.pk}/")
    assert response.status_code == 404


def test_evidence_is_never_at_a_public_url(client, evidence, settings):
    # MEDIA_URL is not routed at all: the file's storage name is not a page.
    assert client.get(f"/media/{evidence.file.name}").status_code == 404
    assert client.get(f"/{evidence.file.name}").status_code == 404


def test_the_download_is_an_attachment_with_its_stored_type(client_for, board, evidence):
    response = client_for(board).get(f"/actions/{evidence.action.reference}/evidence/{evidence.pk}/")
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="report.txt"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == b"Evidence of completion.\n"


def test_a_lead_who_owns_an_action_cannot_sign_it_off(client_for, lead, board):
    from actions.tests.factories import ActionFactory, EvidenceFactory

    own = ActionFactory(owner=lead, executive_lead=board, status="complete")
    EvidenceFactory(action=own)
    page = client_for(lead).get(f"/actions/{own.reference}/assure/")
    assert "You own this action, so another improvement lead must sign it off." in page.content.decode()
    assert b"<button" not in page.content.split(b"<main")[1].split(b"</main>")[0]
    response = client_for(lead).post(f"/actions/{own.reference}/assure/", {})
    assert response.status_code == 200
    assert "You own this action" in response.content.decode()
    own.refresh_from_db()
    assert own.status == "complete" and own.assured_by is None
