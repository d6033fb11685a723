"""The owner's journey through the pages (find, log progress, attach evidence, complete; another lead
assures), with CSRF checks on, and every wrong move refused with a clear message and nothing stored.
"""

import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from actions.choices import Status
from actions.models import Evidence, ProgressUpdate
from actions.tests.htmlcheck import html_problems

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def csrf_token(client, url) -> str:
    page = client.get(url)
    assert page.status_code == 200, url
    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content).group(1).decode()


def post(client, url, data):
    return client.post(url, {**data, "csrfmiddlewaretoken": csrf_token(client, url)})


def stored_files(folder: str | None = None) -> list[str]:
    """Every evidence file in the default storage (the local disk or object storage), through its API.
    From named folders: django-storages' Azure listdir("") lists the whole container, not its location."""
    if folder is None:
        return stored_files("evidence") + stored_files("held-evidence")
    try:
        subfolders, files = default_storage.listdir(folder)
    except FileNotFoundError:  # the local disk, before anything is stored there
        return []
    return [f"{folder}/{name}" for name in files] + [f for sub in subfolders for f in stored_files(f"{folder}/{sub}")]


def test_an_owner_finds_logs_evidences_and_completes_an_action_and_another_lead_assures_it(
    owner, lead, action, settings
):
    me = csrf_client(owner)
    # Find it: my actions, then the register by free text.
    assert action.reference in me.get("/actions/mine/").content.decode()
    found = me.get("/actions/", {"q": "medicines"}).content.decode()
    assert f'href="/actions/{action.reference}/"' in found

    # Log progress.
    response = post(
        me,
        f"/actions/{action.reference}/progress/",
        {"narrative": "Audit started at three stations.", "status": Status.ON_TRACK, "percent_complete": "40"},
    )
    assert response.status_code == 302 and response["Location"] == f"/actions/{action.reference}/"
    page = me.get(response["Location"]).content.decode()
    assert "Progress saved: on track, 40% complete." in page
    assert "Audit started at three stations." in page

    # Attach evidence.
    upload = SimpleUploadedFile("audit.png", PNG, content_type="application/octet-stream")
    response = post(
        me, f"/actions/{action.reference}/evidence/", {"file": upload, "description": "Photo of the audit sheet"}
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get(action=action)
    assert evidence.content_type == "image/png"  # decided by the content, not by what the browser said
    [stored] = stored_files()  # on object storage, under the test's own prefix
    assert stored.endswith(evidence.file.name)

    # Mark it complete.
    response = post(
        me,
        f"/actions/{action.reference}/progress/",
        {"narrative": "All vehicles checked.", "status": Status.COMPLETE, "percent_complete": "100"},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Status.COMPLETE

    # A different lead signs it off: a confirmation page first, then the POST.
    them = csrf_client(lead)
    confirmation = them.get(f"/actions/{action.reference}/assure/").content.decode()
    assert "audit.png" in confirmation and "Sign off as assured" in confirmation
    response = post(them, f"/actions/{action.reference}/assure/", {})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Status.ASSURED and action.assured_by == lead and action.assured_at is not None
    page = them.get(f"/actions/{action.reference}/").content.decode()
    assert "Assured" in page and "By Jo Clarke on" in page


def test_a_post_without_the_csrf_token_is_refused_and_stores_nothing(owner, action):
    me = csrf_client(owner)
    response = me.post(
        f"/actions/{action.reference}/progress/",
        {"narrative": "Sneaky", "status": Status.ON_TRACK, "percent_complete": "10"},
    )
    assert response.status_code == 403
    assert ProgressUpdate.objects.count() == 0
    for url in (f"/actions/{action.reference}/edit/", "/actions/new/", "/actions/import/"):
        assert csrf_client(owner).post(url, {}).status_code == 403


def test_complete_without_evidence_is_refused_with_the_reason_and_nothing_stored(owner, action):
    me = csrf_client(owner)
    response = post(
        me,
        f"/actions/{action.reference}/progress/",
        {"narrative": "Finished.", "status": Status.COMPLETE, "percent_complete": "100"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Choose an evidence file to mark this action complete" in body
    assert "<title>Error: " in body
    assert 'href="#id_evidence_file"' in body  # the error summary links to the upload on this same page
    action.refresh_from_db()
    assert action.status == Status.NOT_STARTED and ProgressUpdate.objects.count() == 0


def test_an_overlong_narrative_is_refused_with_its_length(owner, action):
    response = post(
        csrf_client(owner),
        f"/actions/{action.reference}/progress/",
        {"narrative": "x" * 5001, "status": Status.ON_TRACK, "percent_complete": "10"},
    )
    assert "must be 5000 characters or fewer" in response.content.decode()
    assert ProgressUpdate.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ\x90\x00" + b"\x00" * 100, "must be a PDF, Word, Excel, CSV, plain text, PNG or JPEG file"),
        ("report.pdf", b"MZ\x90\x00" + b"\x00" * 100, "content is not what its name says"),
        ("notes.txt", b"<html><script>alert(1)</script></html>", "looks like a web page"),
        ("photo.png", b"%PDF-1.4\n%binary\n", "content is not what its name says"),
    ],
)
def test_a_file_of_the_wrong_kind_is_refused_and_nothing_is_stored(owner, action, settings, name, content, message):
    upload = SimpleUploadedFile(name, content)
    response = post(
        csrf_client(owner), f"/actions/{action.reference}/evidence/", {"file": upload, "description": "Evidence"}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Evidence.objects.count() == 0
    assert stored_files() == []


def test_a_file_over_10_mb_is_refused_and_nothing_is_stored(owner, action, settings):
    upload = SimpleUploadedFile("big.txt", b"a" * (10 * 1024 * 1024 + 1))
    response = post(
        csrf_client(owner), f"/actions/{action.reference}/evidence/", {"file": upload, "description": "Too big"}
    )
    assert "The selected file must be smaller than 10 MB." in response.content.decode()
    assert Evidence.objects.count() == 0
    assert stored_files() == []


def test_evidence_without_a_description_or_file_is_refused_with_messages(owner, action):
    response = post(csrf_client(owner), f"/actions/{action.reference}/evidence/", {"description": ""})
    body = response.content.decode()
    assert "Select the file to upload" in body
    assert "Enter a description of what this evidence shows" in body
    assert Evidence.objects.count() == 0


def test_an_action_not_yet_complete_cannot_be_signed_off(lead, action):
    response = post(csrf_client(lead), f"/actions/{action.reference}/assure/", {})
    assert response.status_code == 200
    assert "Only a complete action can be assured." in response.content.decode()
    action.refresh_from_db()
    assert action.status == Status.NOT_STARTED and action.assured_by is None


def test_an_assured_action_offers_no_progress_form(owner, lead, complete_action):
    from actions.services.assurance import action_assure

    action_assure(action=complete_action, lead=lead)
    page = Client()
    page.force_login(owner)
    body = page.get(f"/actions/{complete_action.reference}/progress/").content.decode()
    assert "its record is closed" in body and "narrative" not in body


@pytest.mark.parametrize(
    "url",
    [
        "/actions/",
        "/actions/?overdue=on&sort=-due",
        "/actions/mine/",
        "/actions/{ref}/",
        "/actions/{ref}/progress/",
        "/actions/{ref}/evidence/",
        "/actions/{complete}/assure/",
        "/actions/new/",
        "/actions/{ref}/edit/",
        "/actions/import/",
    ],
)
def test_every_page_passes_the_basic_html_rules(client_for, lead, action, evidence, complete_action, url):
    # The lead owns neither action, so sees every button and form.
    url = url.format(ref=action.reference, complete=complete_action.reference)
    response = client_for(lead).get(url)
    assert response.status_code == 200
    assert html_problems(response.content) == []


def test_form_pages_with_errors_pass_the_basic_html_rules(client_for, owner, action):
    response = client_for(owner).post(f"/actions/{action.reference}/progress/", {"percent_complete": "abc"})
    assert html_problems(response.content) == []
    assert "<title>Error: " in response.content.decode()


def test_sign_in_stale_edit_and_import_preview_pages_pass_the_basic_html_rules(client_for, lead, other_lead, action):
    anonymous = Client()
    assert html_problems(anonymous.get("/accounts/login/?next=/actions/").content) == []
    assert html_problems(anonymous.post("/accounts/login/", {"username": "x"}).content) == []

    from actions.services.editing import action_update
    from actions.tests.test_edit import _data, form_data

    stale = form_data(action)
    action_update(action=action, editor=other_lead, data={**_data(action), "title": "Changed"}, expected_version=1)
    refused = client_for(lead).post(f"/actions/{action.reference}/edit/", stale)
    assert refused.status_code == 409 and html_problems(refused.content) == []

    bad_plan = SimpleUploadedFile("plan.csv", b"Reference,Title,Pillar,Owner,Executive lead,Due date\nMD-1,,x,y,z,w\n")
    preview = client_for(lead).post("/actions/import/", {"file": bad_plan})
    assert preview.context["preview"].problems and html_problems(preview.content) == []


def test_an_owner_marks_an_action_complete_in_one_step_with_the_evidence_on_the_same_page(owner, action):
    me = csrf_client(owner)
    url = f"/actions/{action.reference}/progress/"
    form = me.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in form and 'name="evidence_file"' in form
    response = post(
        me,
        url,
        {
            "narrative": "Every vehicle checked.",
            "status": Status.COMPLETE,
            "percent_complete": "",  # left as it was: completion makes it 100
            "evidence_file": SimpleUploadedFile("audit.png", PNG, content_type="image/png"),
            "evidence_description": "The audit of every vehicle",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"/actions/{action.reference}/"
    action.refresh_from_db()
    assert (action.status, action.percent_complete) == (Status.COMPLETE, 100)
    assert Evidence.objects.filter(action=action, description="The audit of every vehicle").exists()
