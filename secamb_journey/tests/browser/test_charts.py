"""SPC charts read on a phone (issue 27): at 320, 375 and 1280 px, and at the board pack's A4 width, the
chart shown has a plotted height with a floor, text at least the body size and x labels that do not
overlap; the drawing is hidden from screen readers, its figure read once through its caption, its table
beside it. Measured from each element's bounding box in Debian's Chromium, on the demo trust.
"""

import pytest

from .conftest import _board_pack_url

pytestmark = pytest.mark.browser

# The first chart's drawing on show (the others are for other widths), its labels' boxes, its font size.
MEASURE = """() => {
  const drawings = [...document.querySelector('.app-spc-chart').querySelectorAll('svg')];
  const svg = drawings.find(s => s.getBoundingClientRect().width > 0);
  const box = svg.getBoundingClientRect();
  const scale = box.width / svg.viewBox.baseVal.width;
  const labels = [...svg.querySelectorAll('text.app-spc-chart__x')].map(t => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, left: r.left, right: r.right};
  });
  return {
    drawings: drawings.length,
    visible: drawings.filter(s => s.getBoundingClientRect().width > 0).length,
    width: box.width,
    height: box.height,
    font: parseFloat(svg.getAttribute('font-size')) * scale,
    body: parseFloat(getComputedStyle(document.querySelector('main p')).fontSize),
    labels: labels,
  };
}"""


def assert_readable(chart: dict, what: str, *, min_height: float, body: float | None = None) -> None:
    body = body or chart["body"]
    assert chart["visible"] == 1, f"{what}: {chart['visible']} charts on show"
    assert chart["height"] >= min_height, f"{what}: the chart is {chart['height']:.0f} px tall"
    assert chart["font"] >= body - 0.5, f"{what}: labels at {chart['font']:.1f} px, body {body} px"
    labels = sorted(chart["labels"], key=lambda label: label["left"])
    assert len(labels) >= 2, f"{what}: {labels}"
    for before, after in zip(labels, labels[1:], strict=False):
        assert before["right"] <= after["left"], f"{what}: {before['text']!r} overlaps {after['text']!r}: {labels}"


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_a_measures_chart_reads_at_each_width(page_as, world, width):
    page = page_as(None, viewport={"width": width, "height": 800})
    page.goto("/performance/cat1-mean/")
    chart = page.evaluate(MEASURE)
    print(f"{width} px: chart {chart['width']:.0f}×{chart['height']:.0f}, labels {chart['font']:.1f} px, "
          f"{len(chart['labels'])} x labels")  # fmt: skip
    assert_readable(chart, f"at {width} px", min_height=200)


def test_the_board_packs_chart_reads_at_a4_width(page_as, world):
    # Narrower than A4's text width (178 mm, 673 px at 96 an inch), where WeasyPrint draws the pack's chart.
    page = page_as("board", viewport={"width": 643, "height": 900})
    page.emulate_media(media="print")
    page.goto(_board_pack_url())
    chart = page.evaluate(MEASURE)
    assert chart["drawings"] == 1  # the pack draws each chart once, for paper
    # The PDF's body text is 9.5 pt (static/css/board-pack-print.css): 12.7 px.
    assert_readable(chart, "in the pack", min_height=200, body=9.5 * 96 / 72)


def test_the_chart_is_read_once_through_its_caption_with_its_table_beside_it(page_as, world):
    page = page_as(None, viewport={"width": 375, "height": 800})
    page.goto("/performance/cat1-mean/")
    figure = page.locator("figure.app-spc-chart")
    tree = figure.aria_snapshot()
    assert "SPC chart of" in tree
    # No tick label, target or period label is in the accessibility tree: only the caption.
    assert "Target" not in tree and "Recalculated" not in tree and "img" not in tree, tree
    reading = page.locator("main .nhsuk-lede-text").inner_text()
    assert page.locator("main").aria_snapshot().count(reading[:60]) == 1  # the chart's sentence, once
    table = figure.locator("xpath=following-sibling::*[self::table or .//table][1]")
    assert table.count() == 1 and "Period" in table.first.inner_text()
