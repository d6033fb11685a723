"""Journey 1 with a keyboard alone (Tab, Shift+Tab, Enter, Space, arrow keys; never the mouse): every
element focus lands on shows that it has focus, and a form's error summary takes focus and its links
move focus to the fields they are about.
"""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# What has focus, what it is called, and whether focus changes how it looks: its style focused is
# compared with its style once blurred (outline, box-shadow, background, colour, border; for NHS.UK
# radios and checkboxes, the label's ::before, which draws the box). Focus is put back afterwards.
FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {name: '', visible: false, tag: 'body'};
  const look = (e, pseudo) => { const s = getComputedStyle(e, pseudo);
    return [s.outlineStyle, s.outlineColor, s.outlineWidth, s.boxShadow, s.backgroundColor, s.color,
            s.borderColor, s.borderWidth, s.textDecorationLine].join('|'); };
  const drawn = e => look(e) + (e.labels && e.labels[0] ? look(e.labels[0], '::before') : '');
  const focused = drawn(el);
  el.blur();
  const blurred = drawn(el);
  el.focus();
  const name = ((el.labels && el.labels[0] && el.labels[0].innerText) || el.getAttribute('aria-label')
                || el.innerText || el.value || '').trim().split('\\n')[0].trim();
  return {name, visible: focused !== blurred, tag: el.tagName.toLowerCase(), id: el.id};
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUS)


# NHS.UK's header watches its menu with a ResizeObserver, whose first report (and any after the web fonts
# arrive) re-inserts every menu item in the next animation frame; a menu link that has focus then loses it.
# A person cannot Tab that fast after a page appears; a test on a busy machine can, so it waits for the
# fonts and two frames first.
SETTLED = """() => document.fonts.ready.then(
  () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))))"""


def tab_to(page, name, *, backwards=False, limit=80) -> dict:
    """Press Tab (or Shift+Tab) until the element called `name` (a string, or a regex) has focus,
    checking on the way that every element focus lands on shows it.
    """
    page.evaluate(SETTLED)
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        now = focused(page)
        assert now["visible"], f"focus is not visible on {now} at {page.url}"
        if name.search(now["name"]) if isinstance(name, re.Pattern) else now["name"] == name:
            return now
    raise AssertionError(f"{name!r} never took focus at {page.url}")


def follow(page, key: str = "Enter"):
    """Press a key that loads a page (follow a link, send a form), and wait for the new page."""
    with page.expect_navigation():
        page.keyboard.press(key)


def sign_in(page, username: str, password: str):
    page.goto("/accounts/login/")
    tab_to(page, "Username")
    page.keyboard.type(username)
    tab_to(page, "Password")
    page.keyboard.type(password)
    follow(page)


@pytest.mark.fresh_world
def test_owner_and_lead_complete_journey_one_with_the_keyboard_alone(page_as, world):
    from actions.choices import Status
    from actions.models import Action
    from secamb_journey.demo import demo_password

    page = page_as(None)
    page.goto("/")
    first = tab_to(page, "Skip to main content")
    assert first["tag"] == "a"  # the skip link is the first stop on every page

    sign_in(page, "owner", demo_password())
    expect(page).to_have_url(re.compile(r"/actions/mine/$"))
    tab_to(page, re.compile("^MD-02: "))
    follow(page)
    expect(page).to_have_url(re.compile(r"/actions/MD-02/$"))

    # Log progress, first sending the form half empty: the error summary takes focus, and its links
    # take focus to each field.
    tab_to(page, "Log progress")
    follow(page)
    tab_to(page, "Percent complete")
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    tab_to(page, "Save progress")
    follow(page)
    expect(page.locator(".nhsuk-error-summary")).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary_links = page.locator(".nhsuk-error-summary a")
    expect(summary_links).to_have_count(2)

    tab_to(page, "Enter what has been done since the last update")
    page.keyboard.press("Enter")
    expect(page.locator("#id_narrative")).to_be_focused()
    page.keyboard.type("Audit of every vehicle done; new fridges ordered for two stations.")
    tab_to(page, "Enter the percent complete, from 0 to 100", backwards=True)
    page.keyboard.press("Enter")
    expect(page.locator("#id_percent_complete")).to_be_focused()
    page.keyboard.type("90")
    tab_to(page, "Save progress")
    follow(page)
    expect(page.get_by_text("Progress saved: on track, 90% complete.")).to_be_visible()

    # Evidence: the file is chosen in the browser's own dialog, which a test cannot drive; everything
    # around it is keyboard.
    tab_to(page, "Attach evidence")
    follow(page)
    tab_to(page, re.compile("^Evidence file"))
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "fridges.txt", "mimeType": "text/plain", "buffer": b"Fridge installation report.\n"}]
    )
    tab_to(page, "What does this evidence show?")
    page.keyboard.type("Installation report for the new fridges")
    tab_to(page, "Upload evidence")
    follow(page, "Space")
    expect(page.get_by_text("Evidence attached: fridges.txt.")).to_be_visible()

    # Complete: the status radios are one Tab stop; the arrow keys move the choice.
    tab_to(page, "Log progress")
    follow(page)
    tab_to(page, "What has been done since the last update?")
    page.keyboard.type("Fridges fitted and checked; every vehicle passed.")
    tab_to(page, "On track")
    page.keyboard.press("ArrowDown")  # At risk
    page.keyboard.press("ArrowDown")  # Off track
    page.keyboard.press("ArrowDown")  # Complete, awaiting assurance
    assert focused(page)["name"].startswith("Complete, awaiting assurance")
    tab_to(page, "Percent complete")
    page.keyboard.press("Control+A")
    page.keyboard.type("100")
    tab_to(page, "Save progress")
    follow(page)
    expect(page.get_by_text("Progress saved: complete, awaiting assurance, 100% complete.")).to_be_visible()

    tab_to(page, "Sign out", backwards=True)
    follow(page)
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()

    # The lead signs it off.
    sign_in(page, "lead", demo_password())
    page.goto("/actions/MD-02/")  # typed into the address bar
    tab_to(page, "Sign off as assured")
    follow(page)
    tab_to(page, "Sign off as assured")
    follow(page, "Space")
    expect(page.get_by_text("MD-02 is signed off as assured.")).to_be_visible()
    assert Action.objects.get(reference="MD-02").status == Status.ASSURED
