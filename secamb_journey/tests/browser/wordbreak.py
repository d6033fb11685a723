"""Finding words broken across lines, as a reader sees them: for each word of each visible text node,
the DOM's client rectangles of a Range around it. A word whose rectangles sit on more than one line
(different tops) has been split ("Refer/ence", "R/ef/er/en/ce"). Reusable: `broken_words(page)`.

A break after a hyphen, dash or slash ("must-/do") is how English wraps such words and is allowed: each
part is checked on its own. Text that is visually hidden (a 1-pixel box), code (a secret key shown for
typing, which may break anywhere on purpose) and SVG are skipped.
"""

BROKEN_WORDS_JS = r"""
(scope) => {
  const roots = scope ? [...document.querySelectorAll(scope)] : [document.body];
  const problems = [];
  const skip = (el) => !el || el.closest('code, pre, svg, script, style, .nhsuk-u-visually-hidden, [hidden]');
  for (const root of roots) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const parent = node.parentElement;
      if (skip(parent)) continue;
      const box = parent.getBoundingClientRect();
      if (box.width <= 2 || box.height <= 2) continue;  // clipped to nothing: read by screen readers only
      const text = node.textContent;
      const words = /[^\s\-\u2010-\u2015\/]+/g;
      let match;
      while ((match = words.exec(text))) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const rects = [...range.getClientRects()].filter((r) => r.width > 0.5 && r.height > 0.5);
        const tops = [];
        for (const r of rects) {
          if (!tops.some((t) => Math.abs(t - r.top) < 3)) tops.push(r.top);
        }
        if (tops.length > 1) {
          const where = parent.tagName.toLowerCase() + (parent.className && typeof parent.className === 'string'
            ? '.' + parent.className.trim().split(/\s+/).join('.') : '');
          problems.push(`"${match[0]}" on ${tops.length} lines in ${where}`);
        }
      }
    }
  }
  return problems;
}
"""


def broken_words(page, scope: str | None = None) -> list[str]:
    """The words split across lines on the page as it is laid out now (optionally within a CSS selector)."""
    return page.evaluate(BROKEN_WORDS_JS, scope)
