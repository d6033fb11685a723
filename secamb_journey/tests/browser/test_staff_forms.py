"""Staff pages without a trap (issue 27), measured in Debian's Chromium on the demo trust (conftest.world):
"My actions" at 375 px, the log-progress form's reading order and its invalid file control, and a field
revealed only under the choice that needs it.
"""

import pytest
from playwright.sync_api import expect

from .conftest import OPEN, revision_to_decide_url

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


def test_my_actions_on_a_phone_lists_open_actions_first_each_in_at_most_a_third_of_the_screen(page_as, world):
    page = page_as("owner", viewport=PHONE)
    page.goto("/actions/mine/")
    open_actions = page.locator("#owned + p + .app-my-actions > li")
    expect(open_actions.first).to_be_visible()
    heights = [box["height"] for box in (item.bounding_box() for item in open_actions.all())]
    print(f"\nMy actions at 375 px: {len(heights)} open actions, {max(heights):.0f} px the tallest")
    assert max(heights) <= PHONE["height"] / 3, heights
    headings = page.get_by_role("heading", level=2).all_inner_texts()
    assert headings.index("Needs your update") < headings.index("Done")
    expect(page.get_by_role("columnheader", name="Owner")).to_have_count(0)


def test_the_log_progress_form_reads_errors_and_heading_first_and_marks_the_file_control_invalid(page_as, world):
    page = page_as("owner")
    page.goto(f"/actions/{OPEN}/progress/")
    title = page.locator("main p").first.inner_text().split(".")[0]
    page.get_by_label("What has been done since the last update?").fill("All vehicles checked.")
    page.get_by_label("Complete, awaiting assurance").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save progress").click()
    # Complete without evidence: refused, the error on the file.
    snapshot = page.locator("main").aria_snapshot()
    summary, heading, action = (
        snapshot.index("There is a problem"),
        snapshot.index('heading "MD'),
        snapshot.index(title),
    )
    assert summary < heading < action, snapshot
    assert "Choose an evidence file to mark this action complete" in snapshot
    button = page.locator(".nhsuk-file-upload__drop-button")
    expect(button).to_have_attribute("aria-invalid", "true")
    # The error summary's link lands on the visible control.
    page.get_by_role("link", name="Choose an evidence file to mark this action complete").click()
    expect(button).to_be_focused()


def test_the_recalculation_reason_shows_only_when_recalculation_is_ticked(page_as, world):
    page = page_as("lead")
    page.goto("/measures/cat1-mean/values/new/")
    reason = page.get_by_label("Reason for recalculating")
    expect(reason).to_be_hidden()
    page.get_by_label("Recalculate the mean and limits from this period").check()
    expect(reason).to_be_visible()
    # Without JavaScript all the same.
    plain = page_as("lead", java_script_enabled=False)
    plain.goto("/measures/cat1-mean/values/new/")
    expect(plain.get_by_label("Reason for recalculating")).to_be_hidden()
    plain.get_by_label("Recalculate the mean and limits from this period").check()
    expect(plain.get_by_label("Reason for recalculating")).to_be_visible()


@pytest.mark.fresh_world  # a revision is asked for
def test_the_refusal_reason_shows_under_refuse_with_or_without_javascript(page_as, world):
    url = revision_to_decide_url()
    for javascript in (True, False):
        page = page_as("lead", java_script_enabled=javascript)
        page.goto(url)
        reason = page.get_by_label("Why is it refused?")
        expect(reason).to_be_hidden()
        page.get_by_label("Refuse it: the due date stays as agreed").check()
        expect(reason).to_be_visible()
        page.get_by_label("Agree the new due date").check()
        expect(reason).to_be_hidden()
