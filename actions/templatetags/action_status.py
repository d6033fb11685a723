"""{% action_status action %}: an action's status and, when it is overdue, by how long, as one statement.

"On track" beside a separate "Overdue" tag tells a reader two things that cannot both be true without
saying how they fit; here they read as one: "On track, but overdue by 3 days", "Off track, and overdue
by 1 day". Every page that shows an action's status with its overdue state uses this one tag: My
actions and the register (through actions/templatetags/action_rows.py, which builds its rows in
Python and calls action_status_html), the action page, the dashboard's action lists, the board pack's
exception report and appendix, the public plan, the progress and governance forms' "Now:" line and a
committee's agenda. Days overdue come from Action.days_overdue_on, the one home of that rule.

A simple tag built with format_html rather than an inclusion template: the register renders it on up
to 100 rows, and issue 15's profile found the template engine was most of that page's time.
"""

import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html

from actions.choices import Status
from actions.models import Action

register = template.Library()


@register.simple_tag
def status_tag(status_value):
    """`{% status_tag action.status %}` -> `<strong class="nhsuk-tag nhsuk-tag--green">On track</strong>`.

    Takes a `Status` member or its stored value. The tag always carries the status's words, never
    colour alone.
    """
    if status_value in (None, ""):
        return ""
    try:
        status = Status(status_value)
    except ValueError:
        return format_html('<strong class="nhsuk-tag nhsuk-tag--grey">{}</strong>', status_value)
    return format_html('<strong class="nhsuk-tag nhsuk-tag--{}">{}</strong>', status.tag_colour, status.label)


def overdue_words(*, status: str, days_overdue: int) -> str:
    """ ", but overdue by 3 days" (on track: the owner's account and the calendar disagree, so "but"),
    ", and overdue by 1 day" (any other open status); "" when the action is not overdue."""
    if days_overdue <= 0:
        return ""
    joining = "but" if status == Status.ON_TRACK else "and"
    return f", {joining} overdue by {days_overdue} day{'s' if days_overdue != 1 else ''}"


def action_status_html(*, status: str, days_overdue: int) -> str:
    """The status tag in its own colour, then the overdue words (if any) in bold: one statement."""
    words = overdue_words(status=status, days_overdue=days_overdue)
    if not words:
        return status_tag(status)
    return format_html('{}<span class="app-overdue">{}</span>', status_tag(status), words)


def action_status_text(*, status: str, days_overdue: int) -> str:
    """The same statement in plain words, for the board pack (a tag per line costs the PDF time)."""
    try:
        label = Status(status).label
    except ValueError:
        label = status
    return f"{label}{overdue_words(status=status, days_overdue=days_overdue)}"


@register.simple_tag
def action_status(action, on: datetime.date | None = None):
    """`{% action_status action %}`: as of today, or `on` a given day (a frozen pack's own date)."""
    day = on or timezone.localdate()
    return action_status_html(status=action.status, days_overdue=action.days_overdue_on(day))


@register.simple_tag
def frozen_action_status(status: str, due_iso: str, on_iso: str):
    """`{% frozen_action_status a.status a.due_iso f.today_iso %}`: the same statement, in plain words, for
    a row of a board pack's frozen figures (a dict of what the action was on the pack's day, not the action now). The
    rule is still Action.days_overdue_on, asked of an unsaved Action holding those frozen values.
    """
    then = Action(status=status, due_date=datetime.date.fromisoformat(due_iso))
    return action_status_text(status=status, days_overdue=then.days_overdue_on(datetime.date.fromisoformat(on_iso)))
