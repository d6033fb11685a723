"""{% action_rows actions %}: the rows of the action table (actions/includes/action_table.html).

Issue 15's profile of "my actions" and the register: most of their time was rendering these rows
through the template engine (about 20 nodes, a date format, a status tag and four escapes per cell,
for 25 to 100 rows). The same markup built here in Python costs a fraction of that. Every value is
escaped by format_html, as the template escaped it.
"""

from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import format_html, format_html_join

from actions.templatetags.action_status import action_status_html

register = template.Library()

HEADING = '<span class="nhsuk-table__heading" aria-hidden="true">{} </span>'
ROW = (
    '<tr class="nhsuk-table__row" role="row">\n'
    '      <td class="nhsuk-table__cell app-nowrap" role="cell">' + HEADING.format("Reference") + ""
    '<a class="nhsuk-link" href="{}">{}</a></td>\n'
    '      <td class="nhsuk-table__cell" role="cell">' + HEADING.format("Action") + "<span>{}<br>"
    '<span class="nhsuk-body-s nhsuk-u-secondary-text-colour">{} · {}</span></span></td>\n'
    '      <td class="nhsuk-table__cell" role="cell">' + HEADING.format("Owner") + "{}</td>\n"
    '      <td class="nhsuk-table__cell" role="cell">' + HEADING.format("Due") + ""
    '<span><span class="app-nowrap">{}</span>{}</span></td>\n'
    '      <td class="nhsuk-table__cell" role="cell">' + HEADING.format("Status") + "{}</td>\n"
    '      <td class="nhsuk-table__cell nhsuk-table__cell--numeric" role="cell">' + HEADING.format("Progress") + ""
    "{}%</td>\n"
    "    </tr>\n"
)
SLIPPED = '<br><span class="nhsuk-body-s">Slipped from <span class="app-nowrap">{}</span></span>'
BROUGHT_FORWARD = '<br><span class="nhsuk-body-s">Brought forward from <span class="app-nowrap">{}</span></span>'


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


class _Rows:
    """What repeats from row to row worked out once per table: the URL pattern, month names, today, the
    status words (by status and days overdue: the same few on most rows)."""

    def __init__(self):
        # The action page's URL with a placeholder: a reference is letters, digits and a hyphen, which
        # reverse() would leave as they are.
        self.url = reverse("actions:detail", args=["REFERENCE"]).replace("REFERENCE", "{}")
        # As the template's date:"j M Y" (Django's "M": the month's three letters, title case).
        self.months = {number: str(name).title() for number, name in MONTHS_3.items()}
        self.today = timezone.localdate()
        self.tags = {}

    def date(self, day) -> str:
        return f"{day.day} {self.months[day.month]} {day.year}" if day else ""

    def status(self, action) -> str:
        # The status and how overdue, as one statement (actions/templatetags/action_status.py).
        key = (action.status, action.days_overdue_on(self.today))
        if key not in self.tags:
            self.tags[key] = action_status_html(status=key[0], days_overdue=key[1])
        return self.tags[key]

    def row(self, action) -> tuple:
        # The agreed date against the original (actions.models.states.slipped_q, brought_forward_q).
        moved = SLIPPED if action.is_slipped else BROUGHT_FORWARD if action.is_brought_forward else ""
        slipped = format_html(moved, self.date(action.original_due_date)) if moved else ""
        return (
            self.url.format(quote(action.reference)),
            action.reference,
            action.title,
            action.get_action_type_display(),
            action.pillar.name,
            _person(action.owner),
            self.date(action.due_date),
            slipped,
            self.status(action),
            action.percent_complete,
        )


@register.simple_tag
def action_rows(actions):
    rows = _Rows()
    return format_html_join("    ", ROW, (rows.row(action) for action in actions))
