"""No word is broken across lines on any kind of page, on a phone (375 px) or a laptop (1280 px): tables
become stacked rows on a phone and their headers never split (issue 17). Every page in conftest.PAGES,
as its persona sees it, forms showing their errors included. Measured with each word's client
rectangles (wordbreak.broken_words).
"""

import pytest

from .conftest import PAGES, open_case
from .wordbreak import broken_words

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": {"width": 375, "height": 812}, "laptop": {"width": 1280, "height": 900}}


@pytest.mark.fresh_world  # some pages' setups change it (conftest.PAGES, writes=True)
@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_no_word_is_split_across_lines_on_any_page(page_as, world, size):
    # One world for every page (building it per page would take minutes); each page in its own context.
    found = {}
    for case in PAGES:
        page = open_case(page_as, world, case, viewport=VIEWPORTS[size])
        problems = broken_words(page)
        if problems:
            found[case.name] = problems[:5]
        page.context.close()
    assert not found, f"Words split across lines at {VIEWPORTS[size]['width']} px:\n" + "\n".join(
        f"  {name}: {problems}" for name, problems in found.items()
    )


def test_the_check_finds_a_word_squeezed_letter_by_letter(page_as, world):
    """The measure itself: a table cell too narrow for its word, broken anywhere, is caught."""
    page = page_as(None, viewport=VIEWPORTS["phone"])
    page.goto("/accessibility/")
    page.evaluate(
        """() => {
        const cell = document.querySelector('main h1');
        cell.style.width = '30px';
        cell.style.overflowWrap = 'anywhere';
        cell.textContent = 'Reference';
    }"""
    )
    assert broken_words(page, "main h1")
    assert not broken_words(page, "footer")
