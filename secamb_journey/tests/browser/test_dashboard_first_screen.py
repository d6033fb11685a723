"""The dashboard's first screen answers the board's questions at 1280×900 without scrolling (issue 14),
with or without JavaScript; on a phone the answers stack in one column and nothing scrolls sideways.
Measured with each answer's bounding box in Debian's Chromium, on the demo trust (conftest.world).
"""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}

# Each of the board's questions, the card that answers it, and words the answer must show.
ANSWERS = {
    "overall": "Whole programme",
    "behind": "Pillar furthest behind",
    "cqc": "CQC warning notices and must-dos",
    "measures": "Measures: special cause and targets",
    "since": "Since the last meeting",
}


def answers_bottoms(page) -> dict[str, float]:
    bottoms = {}
    for name, heading in ANSWERS.items():
        card = page.locator(f"#answer-{name}")
        expect(card.get_by_role("heading", level=2)).to_have_text(heading)
        box = card.bounding_box()
        bottoms[name] = box["y"] + box["height"]
    return bottoms


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_every_answer_is_on_the_first_screen_at_1280_by_900(page_as, world, javascript):
    page = page_as("board", viewport=LAPTOP, java_script_enabled=javascript)
    page.goto("/dashboard/")
    bottoms = answers_bottoms(page)
    assert all(bottom <= LAPTOP["height"] for bottom in bottoms.values()), bottoms
    assert page.evaluate("window.scrollY") == 0
    # The answers are the demo's: a pillar named as furthest behind, the committee that last met, the
    # overdue must-dos named, and measures showing special cause with their Making Data Count icons.
    behind = page.locator("#answer-behind")
    pillars = "Quality Improvement|Responsive Care|People and Culture|Sustainability and Partnerships"
    expect(behind.get_by_role("link").first).to_have_text(re.compile(f"^({pillars})$"))
    expect(page.locator("#answer-since")).to_contain_text("Quality Governance Committee")
    expect(page.locator("#answer-cqc")).to_contain_text("Must-do actions")
    expect(page.locator("#answer-measures .app-mdc-icon svg").first).to_be_visible()
    # Nothing else stands between the answers and the fold: the detail is one click away.
    for link in ("Pillars and themes", "CQC compliance"):
        expect(page.get_by_role("link", name=link, exact=True)).to_have_count(1)


def test_on_a_phone_the_answers_stack_in_one_column_without_sideways_scrolling(page_as, world):
    page = page_as("board", viewport=PHONE)
    page.goto("/dashboard/")
    boxes = [page.locator(f"#answer-{name}").bounding_box() for name in ANSWERS]
    lefts = {round(box["x"]) for box in boxes}
    assert len(lefts) == 1, boxes  # one column
    tops = sorted(box["y"] for box in boxes)
    assert len(set(tops)) == len(tops)  # one above another, never side by side
    assert all(box["x"] + box["width"] <= PHONE["width"] for box in boxes), boxes
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_following_a_first_screen_figure_leads_to_the_actions_it_counts(page_as, world):
    from actions.choices import ActionType
    from actions.models import Action

    page = page_as("board", viewport=LAPTOP)
    page.goto("/dashboard/")
    overdue = Action.objects.overdue().filter(action_type=ActionType.MUST_DO).count()
    noun = "must-do action" if overdue == 1 else "must-do actions"
    link = page.locator("#answer-cqc").get_by_role("link", name=f"{overdue} overdue {noun}")
    link.click()
    expect(page).to_have_url(re.compile(r"/actions/\?type=must_do&overdue=yes$"))
    expect(page.get_by_role("heading", name=re.compile(rf"^{overdue} actions? match"))).to_be_visible()
