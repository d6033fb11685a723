"""The Making Data Count icons as the board pack draws them: a coloured circle of CSS with its letter.

The same circle, letter and words as measures' inline SVG icons ({% variation_icon %}), but made of one
styled <span>: WeasyPrint lays out and draws each inline SVG (with its <text>) as a picture of its own,
and the 667 of them at 500 measures took about 6 s of CPU of the PDF's; the spans take about 1 s
(docs/board-pack.md). Still vector (a filled circle in the PDF), hidden from screen readers, and the
words beside it say what it means.
"""

from django import template
from django.utils.html import format_html

from measures.selectors import ASSURANCE_WORDS, VARIATION_WORDS
from measures.templatetags.measures import ASSURANCE_ICONS, VARIATION_ICONS

register = template.Library()


def _dot(code, style, words: str):
    if style is None:
        return words
    # The colours by class (board-pack.css and board-pack-print.css), not a style attribute, which the
    # site's Content Security Policy (style-src 'self') would refuse on the page. No wrapping element:
    # every element costs the PDF time, 500 measures times two.
    return format_html(
        '<span class="app-mdc-dot app-mdc-dot--{}" aria-hidden="true">{}</span> {}', code, style[2], words
    )


@register.simple_tag
def pack_variation_icon(code):
    return _dot(code, VARIATION_ICONS.get(code), VARIATION_WORDS.get(code, "No values yet"))


@register.simple_tag
def pack_assurance_icon(code):
    return _dot(code, ASSURANCE_ICONS.get(code), ASSURANCE_WORDS.get(code, "No target"))
