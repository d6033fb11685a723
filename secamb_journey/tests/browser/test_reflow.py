"""Reflow (WCAG 1.4.10) and text resize (WCAG 1.4.4): at 320 CSS pixels wide no page scrolls sideways,
and with the text at 200% on a 640-pixel-wide window nothing scrolls sideways and the heading and main
content are still on screen. One page of each kind (conftest.REFLOW_PAGES), forms with errors included.
"""

import pytest

from .conftest import REFLOW_PAGES, open_case

pytestmark = pytest.mark.browser

# The widest element, when the page does scroll sideways: what to fix.
WIDEST = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('main *, header *, footer *')]
    .filter(e => e.getBoundingClientRect().right > width + 1)
    .map(e => e.tagName.toLowerCase()
      + (typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
      + ' right=' + Math.round(e.getBoundingClientRect().right));
  return {scrollWidth: document.documentElement.scrollWidth, clientWidth: width, wide: wide.slice(0, 5)};
}"""


def assert_no_sideways_scroll(page, what: str):
    layout = page.evaluate(WIDEST)
    assert layout["scrollWidth"] <= layout["clientWidth"], f"{what}: scrolls sideways: {layout}"


@pytest.mark.parametrize("case", [p.param for p in REFLOW_PAGES])
def test_page_reflows_at_320_pixels_and_with_text_at_200_percent(page_as, world, case):
    page = open_case(page_as, world, case, viewport={"width": 320, "height": 640})
    assert_no_sideways_scroll(page, f"{case.name} at 320 px")

    # Text at 200%: the NHS.UK type scale is in rem, so doubling the root size doubles all text, as a
    # browser's text-size setting does. Set through the CSSOM, which the page's CSP allows.
    # Text first, then the window size: resizing is what makes the NHS.UK header re-fit its menu (items
    # that no longer fit go under "More"), as it does when a person zooms or resizes.
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    page.set_viewport_size({"width": 640, "height": 800})
    assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('main')).fontSize)") >= 32
    assert_no_sideways_scroll(page, f"{case.name} with 200% text at 640 px")
    heading = page.locator("main h1").first
    box = heading.bounding_box()
    assert box and box["width"] > 0 and box["x"] >= 0 and box["x"] + box["width"] <= 640, f"{case.name}: h1 at {box}"
