"""What a screen reader reads (issue 27): on the home page, the dashboard and a measure's page, no arrow is
read aloud, no word is said twice in a row ("2 overdue Overdue"), and a chart's sentence is read once.
Checked with Playwright's aria snapshot of <main>: the accessibility tree a screen reader walks.
"""

import re

import pytest

pytestmark = pytest.mark.browser

PAGES = {
    "home": (None, "/"),
    "dashboard": ("board", "/dashboard/"),
    "measure": (None, "/performance/cat1-mean/"),
}
ARROWS = "→←↑↓➔"


def repeated_words(tree: str) -> list[str]:
    """Each word said twice running within a line of the tree ("overdue Overdue"), numbers aside."""
    found = []
    for line in tree.splitlines():
        words = re.findall(r"[A-Za-z][A-Za-z-]+", line)
        found += [f"{a} {b}: {line.strip()}" for a, b in zip(words, words[1:], strict=False) if a.lower() == b.lower()]
    return found


@pytest.mark.parametrize("name", list(PAGES))
def test_no_arrow_or_repeated_word_is_read_aloud(page_as, world, name):
    persona, path = PAGES[name]
    page = page_as(persona, viewport={"width": 1280, "height": 900})
    page.goto(path)
    tree = page.locator("main").aria_snapshot()
    assert not [c for c in ARROWS if c in tree], f"{name}: an arrow is read aloud:\n{tree}"
    assert not repeated_words(tree), f"{name}: {repeated_words(tree)}"


def test_the_dashboard_reads_to_where_it_draws_an_arrow(page_as, world):
    page = page_as("board", viewport={"width": 1280, "height": 900})
    page.goto("/dashboard/")
    since = page.locator("#answer-since").aria_snapshot()
    assert re.search(r"\d+% to \d+% complete or assured", since), since


def test_a_measures_sentence_is_read_once(page_as, world):
    page = page_as(None, viewport={"width": 375, "height": 812})
    page.goto("/performance/cat1-mean/")
    tree = page.locator("main").aria_snapshot()
    reading = page.locator("main .nhsuk-lede-text").inner_text()
    assert tree.count(reading[:50]) == 1, tree
