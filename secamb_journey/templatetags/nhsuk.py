"""Template tags for NHS.UK components: status tags, pagination, breadcrumbs, header navigation, and the
helpers the crispy "nhsuk" pack uses to render each field. `{% load nhsuk %}`.
"""

import functools

from django import forms, template
from django.template.loader import render_to_string
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from secamb_journey.forms import NHSDateInput
from secamb_journey.periods import period_words

register = template.Library()


# --- Pagination ----------------------------------------------------------------------------------


def _page_numbers(current: int, last: int) -> list[int | None]:
    """First, last, the current page and one either side; None where pages are left out (an ellipsis)."""
    wanted = {1, last, current - 1, current, current + 1}
    numbers: list[int | None] = []
    previous = 0
    for number in sorted(n for n in wanted if 1 <= n <= last):
        if number - previous == 2:
            numbers.append(number - 1)  # a gap of one page: show the page, not an ellipsis
        elif number - previous > 2:
            numbers.append(None)
        numbers.append(number)
        previous = number
    return numbers


@register.inclusion_tag("includes/pagination.html", takes_context=True)
def pagination(context, page_obj, page_param="page"):
    """`{% pagination page_obj %}`: NHS.UK numbered pagination. Each link keeps the page's other query
    parameters (the filters), changing only `page`. Renders nothing when there is a single page.
    """
    request = context.get("request")
    query = request.GET.copy() if request is not None else None

    def href(number: int) -> str:
        if query is None:
            return f"?{page_param}={number}"
        query[page_param] = str(number)
        return f"?{query.urlencode()}"

    if page_obj is None or page_obj.paginator.num_pages <= 1:
        return {"show": False}
    current = page_obj.number
    items = [
        {"ellipsis": True} if number is None else {"number": number, "href": href(number), "current": number == current}
        for number in _page_numbers(current, page_obj.paginator.num_pages)
    ]
    return {
        "show": True,
        "items": items,
        "previous_href": href(page_obj.previous_page_number()) if page_obj.has_previous() else "",
        "next_href": href(page_obj.next_page_number()) if page_obj.has_next() else "",
    }


# --- Breadcrumbs and header ----------------------------------------------------------------------


@register.inclusion_tag("includes/breadcrumbs.html")
def breadcrumbs(*labels_and_urls):
    """`{% breadcrumbs "Action register" "/actions/" action.reference action.get_absolute_url %}`: the
    pages above this one, as label, URL pairs (not the current page).
    """
    if len(labels_and_urls) % 2:
        raise template.TemplateSyntaxError("breadcrumbs takes label, URL pairs")
    pairs = list(zip(labels_and_urls[::2], labels_and_urls[1::2], strict=True))
    return {"items": pairs}


# (words, path, the `nav` flag that shows it; None: everyone). Plain paths: the interface contract.
# "Edit public updates" (the staff pages) is named so it cannot be taken for the public "Progress updates".
HEADER_NAVIGATION = [
    ("Work queue", "/actions/queue/", "queue"),
    ("My actions", "/actions/mine/", "actions"),
    ("Action register", "/actions/", "actions"),
    ("Dashboard", "/dashboard/", "dashboard"),
    ("Board packs", "/board-packs/", "board_packs"),
    ("Measures", "/measures/", "measures"),
    ("Edit public updates", "/reports/updates/", "updates"),
    ("Trust profile", "/reports/trust-profile/", "trust_profile"),
    ("Admin", "/admin/", "admin"),
    ("Progress updates", "/updates/", None),
    ("Our action plan", "/plan/", None),
    ("Performance", "/performance/", None),
    ("Open data", "/open-data/", None),
]


@register.simple_tag(takes_context=True)
def header_navigation(context):
    """The header's links this viewer may follow; the one whose path is the longest prefix of this page's
    path is marked active (and current when it is this very page).
    """
    nav = context.get("nav") or {}
    request = context.get("request")
    path = getattr(request, "path", "")
    items = [
        {"text": text, "href": href, "active": False, "current": False}
        for text, href, flag in HEADER_NAVIGATION
        if flag is None or nav.get(flag)
    ]
    # The person's own work first (secamb_journey.landing): on a phone the links that do not fit go
    # under "More", and a board member's dashboard must not be one of them.
    landing = context.get("landing")
    if landing is not None:
        items.sort(key=lambda item: item["href"] != landing.url)
    section = max((item for item in items if path.startswith(item["href"])), key=lambda i: len(i["href"]), default=None)
    if section is not None:
        section["active"] = True
        section["current"] = path == section["href"]
    return items


# --- The crispy "nhsuk" pack's field helpers -----------------------------------------------------


# The first class a widget is an instance of names its kind. CheckboxSelectMultiple is a RadioSelect
# subclass: it comes first.
FIELD_KINDS = (
    (NHSDateInput, "date"),
    (forms.CheckboxSelectMultiple, "checkboxes"),
    (forms.RadioSelect, "radios"),
    (forms.CheckboxInput, "checkbox"),
    (forms.Textarea, "textarea"),
    (forms.Select, "select"),
    (forms.FileInput, "file"),
    (forms.MultiWidget, "multi"),
)


def _field_kind(widget: forms.Widget) -> str:
    if widget.is_hidden:
        return "hidden"
    return next((kind for cls, kind in FIELD_KINDS if isinstance(widget, cls)), "input")


def field_anchor(bound_field) -> str:
    """The id an error summary links to: the input itself, the first radio or checkbox, or the day box."""
    auto_id = bound_field.auto_id or bound_field.html_name
    widget = bound_field.field.widget
    if isinstance(widget, NHSDateInput):
        return widget.id_for_label(auto_id)
    return auto_id


@register.simple_tag
def nhsuk_field(bound_field):
    """`{% nhsuk_field field as f %}`: what a field template needs: its kind, ids and aria-describedby."""
    auto_id = bound_field.auto_id or bound_field.html_name
    hint_id = f"{auto_id}-hint" if bound_field.help_text else ""
    error_id = f"{auto_id}-error" if bound_field.errors else ""
    return {
        "kind": _field_kind(bound_field.field.widget),
        "id": auto_id,
        "anchor": field_anchor(bound_field),
        "hint_id": hint_id,
        "error_id": error_id,
        "describedby": " ".join(i for i in (hint_id, error_id) if i),
    }


@register.simple_tag
def nhsuk_widget(bound_field, css_class, describedby="", error_class=""):
    """Render the field's own widget (so name, value, type and choices stay Django's) with NHS.UK classes
    merged in front of any the widget already has, and aria-describedby pointing at the hint and error.
    """
    classes = [css_class]
    if error_class and bound_field.errors:
        classes.append(error_class)
    if bound_field.field.widget.attrs.get("class"):
        classes.append(bound_field.field.widget.attrs["class"])
    attrs = {"class": " ".join(classes)}
    if "maxlength" in bound_field.field.widget.attrs:
        # An HTML maxlength silently cuts a long entry short, so the person never sees our message
        # saying how long it may be. False drops the attribute (forms not using NHSFormMixin too).
        attrs["maxlength"] = False
    if describedby:
        attrs["aria-describedby"] = describedby
    return bound_field.as_widget(attrs=attrs)


@register.simple_tag
def choice_items(bound_field):
    """`{% choice_items field as items %}`: radios or checkboxes, ids following NHS.UK (the first is the
    field's id, so the error summary lands on it; then `<id>-2`, `<id>-3`...). A field may carry
    `choice_hints = {value: hint}` for a hint under an option.
    """
    auto_id = bound_field.auto_id or bound_field.html_name
    hints = {str(k): v for k, v in getattr(bound_field.field, "choice_hints", {}).items()}
    items = []
    for index, subwidget in enumerate(bound_field.subwidgets, start=1):
        data = subwidget.data
        item_id = auto_id if index == 1 else f"{auto_id}-{index}"
        value = "" if data["value"] is None else str(data["value"])
        items.append(
            {
                "id": item_id,
                "name": data["name"],
                "value": value,
                "label": data["label"],
                "checked": data["selected"],
                "disabled": bool(data["attrs"].get("disabled")),
                "hint": hints.get(value, ""),
                "hint_id": f"{item_id}-item-hint" if hints.get(value) else "",
                "revealed": revealed_fields(bound_field, value),
            }
        )
    return items


@register.simple_tag
def revealed_fields(bound_field, value):
    """The form's fields shown under this choice of `bound_field` (NHSFormMixin.reveals): the NHS.UK
    conditional reveal. They are in the page whether or not the choice is made; static/css/app.css
    shows them only while it is, with or without JavaScript.
    """
    names = getattr(bound_field.form, "reveals", {}).get(bound_field.name, {}).get(str(value), ())
    return [bound_field.form[name] for name in names if name in bound_field.form.fields]


@register.simple_tag
def error_summary_items(form):
    """`{% error_summary_items form as errors %}`: (anchor or "", message) for every error on the form, in
    page order: errors not tied to one field first (linked to the first field), then each field's.
    """
    visible = form.visible_fields()
    first_anchor = field_anchor(visible[0]) if visible else ""
    items = [(first_anchor, error) for error in form.non_field_errors()]
    for hidden in form.hidden_fields():
        # A hidden field (a version stamp, say) has nowhere to show its error but here.
        items.extend(("", error) for error in hidden.errors)
    for bound_field in visible:
        anchor = field_anchor(bound_field)
        items.extend((anchor, error) for error in bound_field.errors)
    return items


# --- Words ---------------------------------------------------------------------------------------


@register.filter
def duration_words(value) -> str:
    """A timedelta in words: `{{ cooloff_timedelta|duration_words }}` -> "15 minutes", "1 hour 30 minutes"."""
    if value is None or value == "":
        return ""
    total_minutes = max(1, round(value.total_seconds() / 60))
    hours, minutes = divmod(total_minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)


@register.filter
def thousands(value) -> str:
    """A count with thousands separators: `{{ 12345|thousands }}` -> "12,345".

    humanize's intcomma does the same through the locale machinery, which cost the board dashboard
    (about 700 figures) some 20 ms a request at 10,000 actions; our locale (en-GB) always groups with
    commas, so plain formatting is enough. Anything that is not a whole number is shown as it is.
    """
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    try:
        return f"{int(str(value)):,}"
    except (TypeError, ValueError):
        return str(value)


@register.filter(name="period_words")
def period_words_filter(value, frequency="monthly") -> str:
    """`{{ update.period|period_words }}` -> "November 2026"; `{{ value.period|period_words:measure.frequency }}`."""
    return period_words(value, frequency or "monthly")


# --- Components: one place for each NHS.UK component's markup (tests/test_components.py keeps it so) ---
# The block tags take their content as rendered markup, so a value may hold links, loops and other tags.


@register.simple_tag
def nhsuk_tag(text, colour="", aria_hidden=False):
    """`{% nhsuk_tag "Overdue" "red" %}`: an NHS.UK tag that is not an action status (for a status use
    `{% status_tag %}` from action_status). aria_hidden=True where the words beside it already say it.
    """
    colour_class = f" nhsuk-tag--{colour}" if colour else ""
    hidden = mark_safe(' aria-hidden="true"') if aria_hidden else ""
    return format_html('<strong class="nhsuk-tag{}"{}>{}</strong>', colour_class, hidden, text)


@register.simple_block_tag
def summary_list(content, classes=""):
    """`{% summary_list %}{% summary_row "Key" %}value{% endsummary_row %}...{% endsummary_list %}`; classes
    are added to the list's (nhsuk-summary-list--no-border, say).
    """
    return format_html('<dl class="{}">{}</dl>', f"nhsuk-summary-list {classes}".strip(), content)


@register.simple_block_tag
def summary_row(content, key, row_id="", code_key=False):
    """One row of a summary list: `key` (safe markup, a status tag say, is kept), the block its value.
    row_id: an id to link to; code_key: the key is a name set in <code>.
    """
    id_attr = format_html(' id="{}"', row_id) if row_id else ""
    key_html = format_html("<code>{}</code>", key) if code_key else conditional_escape(key)
    return format_html(
        '<div class="nhsuk-summary-list__row"{}><dt class="nhsuk-summary-list__key">{}</dt>'
        '<dd class="nhsuk-summary-list__value">{}</dd></div>',
        id_attr,
        key_html,
        content,
    )


@register.simple_block_tag
def inset_text(content, classes="", element="div", hidden="Information"):
    """`{% inset_text %}<p>...</p>{% endinset_text %}`: includes/inset_text.html with markup for its body."""
    context = {"html": content, "classes": classes, "element": element, "hidden": hidden}
    return render_to_string("includes/inset_text.html", context)


@register.simple_block_tag
def warning_callout(content, heading, level=3, classes=""):
    """`{% warning_callout "Heading" level=2 %}<p class="nhsuk-card__description">...</p>{% endwarning_callout %}`:
    includes/warning_callout.html with markup for its body.
    """
    context = {"html": content, "heading": heading, "level": level, "classes": classes}
    return render_to_string("includes/warning_callout.html", context)


@register.simple_block_tag
def details(content, summary, open=False, classes=""):
    """`{% details "What the icons mean" open=filters_open %}...{% enddetails %}`: the NHS.UK details."""
    return format_html(
        '<details class="{}"{}><summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">'
        '{}</span></summary><div class="nhsuk-details__text">{}</div></details>',
        f"nhsuk-details {classes}".strip(),
        mark_safe(" open") if open else "",
        summary,
        content,
    )


@register.simple_block_tag
def scroll(content):
    """`{% scroll %}<table>...</table>{% endscroll %}`: a wide table scrolls inside its box on a phone (NHS.UK
    scroll, without its region role: the table's caption names it).
    """
    return format_html(
        '<div class="nhsuk-scroll" data-module="nhsuk-scroll"><div class="nhsuk-scroll__content">{}</div></div>',
        content,
    )


@register.simple_block_tag
def card(content, heading, level=3, size="", href="", heading_href="", element="div", classes="", **ids):
    """`{% card "Heading" size="s" %}...{% endcard %}`: the NHS.UK card (not the warning callout).
    href: the whole card is a link (nhsuk-card--clickable); heading_href: only the heading is a link.
    card_id, heading_id: ids; a <section> card is labelled by its heading (heading_id).
    """
    card_classes = " ".join(filter(None, ["nhsuk-card", "nhsuk-card--clickable" if href else "", classes]))
    card_id, heading_id = ids.get("card_id", ""), ids.get("heading_id", "")
    attributes = format_html(' id="{}"', card_id) if card_id else ""
    if element == "section" and heading_id:
        attributes += format_html(' aria-labelledby="{}"', heading_id)
    if href:
        heading = format_html('<a class="nhsuk-card__link" href="{}">{}</a>', href, heading)
    elif heading_href:
        heading = format_html('<a class="nhsuk-link" href="{}">{}</a>', heading_href, heading)
    return format_html(
        '<{} class="{}"{}><div class="nhsuk-card__content"><h{} class="{}"{}>{}</h{}>{}</div></{}>',
        element,
        card_classes,
        attributes,
        level,
        f"nhsuk-card__heading nhsuk-heading-{size}" if size else "nhsuk-card__heading",
        format_html(' id="{}"', heading_id) if heading_id else "",
        heading,
        level,
        content,
        element,
    )


# --- Tables: the NHS.UK table, and its responsive form (on a phone each row is a block of labelled rows) ---


@register.simple_block_tag
def table(
    content,
    caption,
    responsive=False,
    compact=False,
    caption_size="",
    hidden_caption=False,
    classes="",
    rows=None,
    empty="",
):
    """`{% table "Packs, newest first" responsive=True caption_size="s" %}{% table_head ... %}<tbody>...{% endtable %}`:
    the table and its caption. hidden_caption: for screen readers only (a heading above says it already).
    rows=packs empty="No board pack has been generated yet.": when rows holds none, that paragraph in its place.
    """
    if rows is not None and not rows:
        return format_html("<p>{}</p>", empty)
    table_classes = [("nhsuk-table--compact", compact), ("nhsuk-table--responsive", responsive), (classes, classes)]
    caption_classes = [
        (f"nhsuk-table__caption--{caption_size}", caption_size),
        ("nhsuk-u-visually-hidden", hidden_caption),
    ]
    return format_html(
        '<table class="{}"{}><caption class="{}">{}</caption>{}</table>',
        " ".join(["nhsuk-table", *(name for name, wanted in table_classes if wanted)]),
        mark_safe(' role="table"') if responsive else "",
        " ".join(["nhsuk-table__caption", *(name for name, wanted in caption_classes if wanted)]),
        caption,
        content,
    )


def _numeric_columns(numeric: str, count: int) -> range:
    """Columns counted from 1: "2-5", columns 2 to 5; "2-", 2 to the last; "1", the first; "", none."""
    if not numeric:
        return range(0)
    first, dash, last = numeric.partition("-")
    return range(int(first), (int(last or count) if dash else int(first)) + 1)


@register.simple_tag
def table_head(*headings, numeric="", responsive=False):
    """`{% table_head "Type" "Actions" "Done" numeric="2-3" responsive=True %}`: the head row, a heading a
    column (a list stands for its items); numeric: the columns, counted from 1, whose figures align right.
    """
    headings = [item for heading in headings for item in (heading if isinstance(heading, (list, tuple)) else [heading])]
    numbers = _numeric_columns(numeric, len(headings))

    def role(name):  # the ARIA roles that keep a table's meaning when CSS makes its cells blocks on a phone
        return format_html(' role="{}"', name) if responsive else ""

    cells = format_html_join(
        "",
        '<th scope="col" class="nhsuk-table__header{}"{}>{}</th>',
        (
            (" nhsuk-table__header--numeric" if n in numbers else "", role("columnheader"), h)
            for n, h in enumerate(headings, 1)
        ),
    )
    return format_html(
        '<thead class="nhsuk-table__head"{}><tr class="nhsuk-table__row"{}>{}</tr></thead>',
        role("rowgroup"),
        role("row"),
        cells,
    )


@register.simple_block_tag
def cell(content, heading, numeric=False, header=False):
    """`{% cell "Done" numeric=True %}{{ row.done }}{% endcell %}`: a cell of a responsive table, labelled with
    its column's heading on a phone (aria-hidden: the column header names it already for a screen reader).
    header=True: the row's header cell.
    """
    start, end = _cell_markup(str(heading), bool(numeric), bool(header))
    return start + conditional_escape(content) + end


@functools.lru_cache(maxsize=512)
def _cell_markup(heading: str, numeric: bool, header: bool) -> tuple[str, str]:
    """A cell's markup before and after its content: the same for every row, so made once (a long table
    has thousands of cells)."""
    label = format_html('<span class="nhsuk-table__heading" aria-hidden="true">{} </span>', heading)
    if header:
        return format_html('<th scope="row" class="nhsuk-table__header" role="rowheader">{}', label), mark_safe("</th>")
    numeric_class = " nhsuk-table__cell--numeric" if numeric else ""
    return format_html('<td class="nhsuk-table__cell{}" role="cell">{}', numeric_class, label), mark_safe("</td>")


@register.simple_block_tag
def capture(content):
    """`{% capture as words %}...{% endcapture %}`: markup kept in a variable, for a tag's argument (a table's
    caption with a condition or figures in it).
    """
    return content
