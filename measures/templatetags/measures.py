"""Making Data Count icons (inline SVG made here, always with their words) and the measures summary table."""

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from actions.figures_cache import cached_fragment
from measures import selectors
from measures.charts import VARIANTS, spc_svg
from measures.selectors import ASSURANCE_WORDS, VARIATION_WORDS, format_number
from secamb_journey.periods import period_span, period_words

register = template.Library()

# (fill, letter colour, letter): a circle with a letter, as Making Data Count draws them. The letter and
# the words beside it carry the meaning; the colour only repeats it.
VARIATION_ICONS = {
    "common_cause": ("#768692", "#ffffff", "~"),
    "improvement_high": ("#005eb8", "#ffffff", "H"),
    "improvement_low": ("#005eb8", "#ffffff", "L"),
    "concern_high": ("#ffb81c", "#212b32", "H"),
    "concern_low": ("#ffb81c", "#212b32", "L"),
    "neutral_high": ("#330072", "#ffffff", "H"),
    "neutral_low": ("#330072", "#ffffff", "L"),
}
ASSURANCE_ICONS = {
    "consistent_pass": ("#005eb8", "#ffffff", "P"),
    "consistent_fail": ("#ffb81c", "#212b32", "F"),
    "inconsistent": ("#768692", "#ffffff", "?"),
}


def _icon(style, words: str, kind: str):
    if style is None:
        return format_html('<span class="app-mdc-icon app-mdc-icon--none">{}</span>', words)
    fill, ink, letter = style
    return format_html(
        '<span class="app-mdc-icon app-mdc-icon--{}">'
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" '
        'focusable="false"><circle cx="12" cy="12" r="11" fill="{}"/>'
        '<text x="12" y="16.5" text-anchor="middle" font-size="13" font-weight="bold" fill="{}">{}</text></svg>'
        " {}</span>",
        kind,
        fill,
        ink,
        letter,
        words,
    )


@register.filter
def measure_number(value, places=2):
    """A value for display: up to `places` decimals, no trailing zeros (stored values are never rounded)."""
    return format_number(value, places=int(places))


@register.simple_tag
def variation_icon(code, words=None):
    # words: a chart's own (MeasureChart.variation_words), which say when its figures cannot be drawn.
    return _icon(VARIATION_ICONS.get(code), words or VARIATION_WORDS.get(code, "No values yet"), "variation")


@register.simple_tag
def assurance_icon(code, words=None):
    return _icon(ASSURANCE_ICONS.get(code), words or ASSURANCE_WORDS.get(code, "No target"), "assurance")


@register.simple_tag
def measures_summary(pillar=None, theme=None, public=False, caption=""):
    """{% measures_summary pillar=pillar %}: the Making Data Count summary of the measures evidencing a
    pillar (or theme, or all), for the board dashboard and pillar pages. A fixed number of queries.

    Rendered once per change of the figures (issue 15: at 500 measures it was most of the dashboard's
    time), then served from the cache as HTML (actions.figures_cache.cached_fragment).
    """
    caption = caption or "Measures: latest value, variation and assurance"

    def render():
        rows = selectors.measures_summary(public_only=public, pillar=pillar, theme=theme)
        context = {"rows": rows, "public": public, "caption": caption}
        return render_to_string("measures/includes/summary_table.html", context)

    vary = {"pillar": pillar, "theme": theme, "public": bool(public), "caption": caption}
    return mark_safe(cached_fragment("measures-summary", vary, render))  # noqa: S308 -- the template escaped it


@register.inclusion_tag("measures/includes/spc_chart.html")
def spc_chart(mc, id="chart", can_enter=False, reading_shown=False):
    # can_enter: the table under the chart links each value to its correction form (staff who may enter values).
    # reading_shown: the page has just given the chart's sentence, so the caption does not say it again.
    svgs = [spc_svg(mc, variant) for variant in VARIANTS]
    return {"svgs": svgs, "mc": mc, "id": id, "can_enter": can_enter, "reading_shown": reading_shown}


@register.filter(name="period_words")
def period_words_filter(value, frequency="monthly") -> str:
    """`{{ m.period|period_words }}`: the one way a period is written for people (secamb_journey.periods)."""
    return period_words(value, frequency or "monthly")


@register.filter(name="period_span")
def period_span_filter(first, last) -> str:
    """`{{ first.period_text|period_span:last.period_text }}` -> "October 2023 to September 2026"."""
    return period_span(first, last)
