"""The journeys the tracker exists for, in a real Chromium against the app on loopback:

0. every role signs in with the form and lands on its own work, on a phone and on a laptop;
1. an action owner logs progress, then marks an action complete in one step (narrative and evidence on
   one page, percent set by itself); a lead finds it in their work queue and assures it;
2. a board member sees the change on the dashboard and follows a count to the filtered register;
3. the communications editor drafts, edits, previews and publishes an update (publishing saves the
   edits first); a visitor reads it; then withdraws it and publishes a corrected one, which links to
   the withdrawal notice.
"""

import io
import re
import time

import pytest
from playwright.sync_api import expect

from .conftest import months_ago, sign_in_with_form

pytestmark = pytest.mark.browser


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def log_progress(page, *, narrative: str, status: str, percent: str):
    page.get_by_role("button", name="Log progress").click()
    page.get_by_label("What has been done since the last update?").fill(narrative)
    page.get_by_label(status, exact=True).check()
    page.get_by_label("Percent complete").fill(percent)
    page.get_by_role("button", name="Save progress").click()
    expect(page.get_by_text(f"Progress saved: {status.lower()}, {percent}% complete.")).to_be_visible()


@pytest.mark.fresh_world
def test_owner_logs_progress_attaches_evidence_and_completes_then_a_lead_assures(page_as, world):
    from actions.choices import Status
    from actions.models import Action
    from secamb_journey.demo import demo_password

    # Priya, an action owner, signs in with the form and lands on her actions.
    page = page_as(None)
    sign_in_with_form(page, "owner", demo_password())
    expect(page).to_have_url(re.compile(r"/actions/mine/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My actions")

    page.get_by_role("link", name=re.compile("^MD-02: ")).click()
    expect(page).to_have_url(re.compile(r"/actions/MD-02/$"))

    log_progress(
        page, narrative="Audit of 40 vehicles done; two stations need new fridges.", status="On track", percent="90"
    )

    page.get_by_role("button", name="Attach evidence").click()
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "medicines-audit.txt", "mimeType": "text/plain", "buffer": b"Medicines audit: 40 of 40.\n"}]
    )
    page.get_by_label("What does this evidence show?").fill("The audit of medicines storage on every vehicle")
    page.get_by_role("button", name="Upload evidence").click()
    expect(page.get_by_text("Evidence attached: medicines-audit.txt.")).to_be_visible()
    expect(page.get_by_role("link", name="medicines-audit.txt")).to_be_visible()

    # Complete in one step: the narrative and a second file on one page, percent left as it was.
    page.get_by_role("button", name="Log progress").click()
    page.get_by_label("What has been done since the last update?").fill("New fridges fitted; every vehicle passed.")
    page.get_by_label("Complete, awaiting assurance", exact=True).check()
    page.locator("input[type=file][name=evidence_file]").set_input_files(
        files=[{"name": "fridges.txt", "mimeType": "text/plain", "buffer": b"Fridges fitted at both stations.\n"}]
    )
    page.get_by_label("What does this evidence show?").fill("The fridges fitted at both stations")
    page.get_by_role("button", name="Save progress").click()
    expect(page.get_by_text("Progress saved: complete, awaiting assurance, 100% complete.")).to_be_visible()
    expect(page.get_by_role("link", name="fridges.txt")).to_be_visible()
    sign_out(page)

    # Jo, an improvement lead who does not own it, finds it in her work queue and signs it off.
    sign_in_with_form(page, "lead", demo_password())
    expect(page).to_have_url(re.compile(r"/actions/queue/$"))
    page.locator("#awaiting_assurance").locator("..").get_by_role("link", name="MD-02", exact=True).click()
    expect(page).to_have_url(re.compile(r"/actions/MD-02/$"))
    page.get_by_role("button", name="Sign off as assured").click()  # a link styled as a button
    expect(page.get_by_role("link", name="medicines-audit.txt")).to_be_visible()
    page.get_by_role("button", name="Sign off as assured").click()  # the form's own button
    expect(page.get_by_text("MD-02 is signed off as assured.")).to_be_visible()
    expect(page.locator("main").get_by_text("Assured", exact=True).first).to_be_visible()

    action = Action.objects.get(reference="MD-02")
    assert (action.status, action.percent_complete, action.assured_by.username) == (Status.ASSURED, 100, "lead")


@pytest.mark.fresh_world
def test_board_member_sees_the_change_and_follows_a_count_to_the_filtered_register(page_as, world):
    from django.core.files.base import ContentFile

    from actions.choices import Status
    from actions.models import Action
    from actions.services.progress import action_log_progress, evidence_attach
    from secamb_journey.generations import MEMO_SECONDS

    # Alan, on the board, reads how much of the whole programme is complete or assured.
    page = page_as("board")
    page.goto("/dashboard/")
    whole_programme = page.locator("#answer-overall")
    done_link = whole_programme.get_by_role("link", name=re.compile(r"^\d+ of \d+ actions$"))
    done_before, total = (int(n) for n in re.findall(r"\d+", done_link.inner_text()))

    # Meanwhile Priya finishes MD-02 (journey 1's change, here through the services).
    action = Action.objects.get(reference="MD-02")
    owner = world.users["owner"]
    evidence_attach(
        action=action,
        uploaded_by=owner,
        uploaded_file=ContentFile(b"Audit report.\n", name="audit.txt"),
        description="Audit report",
    )
    action_log_progress(action=action, author=owner, narrative="Done.", status=Status.COMPLETE, percent_complete=100)

    time.sleep(MEMO_SECONDS)  # the site reads the figures' generation at most once a second (docs/adr/0007)
    page.reload()
    expect(done_link).to_have_text(f"{done_before + 1} of {total} actions")

    # He follows the count to the register, filtered to exactly those actions.
    done_link.click()
    expect(page).to_have_url(re.compile(r"/actions/\?"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Action register")
    expect(page.get_by_role("link", name="MD-02", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="MD-07", exact=True)).to_have_count(0)  # not started: not counted


@pytest.mark.fresh_world
def test_comms_editor_drafts_edits_previews_and_publishes_then_a_visitor_reads_it(page_as, world):
    from django.core.management import call_command

    from reports.models import PublishedUpdate

    # The monthly draft, made exactly as the scheduled task makes it.
    period = months_ago(0)
    call_command("generate_update", period=period, stdout=io.StringIO())
    draft = PublishedUpdate.objects.get(period=f"{period}-01")

    page = page_as("comms")
    page.goto("/reports/updates/")
    page.get_by_role("link", name=draft.headline).click()
    page.get_by_label("Headline").fill("Safer medicines on every ambulance")
    page.get_by_label("Narrative").fill("We checked medicines on **every** vehicle.\n\nNext month: new fridges.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_label("Headline")).to_have_value("Safer medicines on every ambulance")

    page.get_by_role("link", name="Preview this update as the public will see it").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Safer medicines on every ambulance")
    expect(page.locator("main strong").get_by_text("every", exact=True)).to_be_visible()
    page.go_back()

    # A last change to the headline, not saved separately: "Save and publish" saves it first.
    page.get_by_label("Headline").fill("Safer medicines on every ambulance in 2026")
    page.get_by_role("button", name="Save and publish").click()
    page.get_by_role("button", name="Publish update").click()
    expect(page.get_by_text("Published").first).to_be_visible()
    draft.refresh_from_db()
    assert draft.status == "published"

    # A member of the public, not signed in, reads it.
    visitor = page_as(None)
    visitor.goto("/updates/")
    visitor.get_by_role("link", name="Safer medicines on every ambulance in 2026").click()
    expect(visitor.get_by_role("heading", level=1)).to_contain_text("Safer medicines on every ambulance in 2026")
    expect(visitor.get_by_text("Next month: new fridges.")).to_be_visible()

    # The figures were wrong: comms withdraws it, starts a corrected update for the same month and
    # publishes it; the public reads the correction, which links to the withdrawal notice.
    page.goto(f"/reports/updates/{draft.slug}/")
    page.get_by_role("button", name="Withdraw this update").click()
    page.get_by_label("Note for the public").fill("Withdrawn: two figures were wrong. A corrected update follows.")
    page.get_by_role("button", name="Withdraw update").click()
    page.get_by_role("button", name="Start a corrected update").click()
    expect(page.get_by_label("Headline")).to_have_value("Safer medicines on every ambulance in 2026")
    page.get_by_label("Headline").fill("Safer medicines on every ambulance (corrected)")
    page.get_by_role("button", name="Save and publish").click()
    page.get_by_role("button", name="Publish update").click()

    visitor.goto("/updates/")
    visitor.get_by_role("link", name="Safer medicines on every ambulance (corrected)").click()
    expect(visitor.get_by_text("This is a corrected update.")).to_be_visible()
    visitor.get_by_role("link", name="read why it was withdrawn").click()
    expect(visitor.get_by_text("Withdrawn: two figures were wrong.")).to_be_visible()


LANDINGS = {
    "owner": ("/actions/mine/", "My actions"),
    "lead": ("/actions/queue/", "Your work queue"),
    "board": ("/dashboard/", "Board dashboard"),
    "comms": ("/reports/updates/", "Edit public updates"),
    "admin": ("/admin/", None),
}


@pytest.mark.parametrize(
    "size", [{"width": 375, "height": 812}, {"width": 1280, "height": 900}], ids=["phone", "laptop"]
)
@pytest.mark.parametrize("username", list(LANDINGS))
def test_every_role_signs_in_and_lands_on_its_own_work(page_as, world, username, size):
    from secamb_journey.demo import demo_password

    path, heading = LANDINGS[username]
    page = page_as(None, viewport=size)
    sign_in_with_form(page, username, demo_password())
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    if heading:
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert not page.script_errors, page.script_errors


@pytest.mark.parametrize(
    "size", [{"width": 375, "height": 812}, {"width": 1280, "height": 900}], ids=["phone", "laptop"]
)
def test_the_public_home_pages_first_screen_shows_the_figures_and_the_latest_update(page_as, world, size):
    from reports.models import PublishedUpdate

    latest = PublishedUpdate.objects.filter(status="published").order_by("-period").first()
    page = page_as(None, viewport=size)
    page.goto("/")
    on_first_screen = [
        page.get_by_text("Overall progress"),
        page.locator(".app-headline-figure"),
        *[page.locator(".app-pillar-figures li").nth(n) for n in range(4)],
        page.get_by_role("link", name=latest.headline),
    ]
    for locator in on_first_screen:
        box = locator.bounding_box()
        assert box and box["y"] + box["height"] <= size["height"], f"below the first screen: {locator} at {box}"
    # Each pillar's figure is a link to its section further down.
    page.locator(".app-pillar-figures a").first.click()
    expect(page).to_have_url(re.compile(r"#pillar-[\w-]+$"))
