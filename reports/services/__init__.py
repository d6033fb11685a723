"""Writes for reports, by job: periods (reporting periods, drafting an update with its figures frozen),
editorial (editing, publishing, withdrawing; the Markdown renderer), reminders (the weekly e-mails).
Every name is re-exported here too (other branches and the tasks were written against one module).
"""

from reports.services.editorial import (
    NARRATIVE_TAGS,
    render_markdown,
    update_edit,
    update_publish,
    update_withdraw,
)
from reports.services.periods import (
    COMPLIANCE_WORDS,
    FIGURES_SCHEMA,
    period_from_string,
    period_label,
    period_next,
    period_previous,
    period_slug,
    period_start,
    update_correction_start,
    update_draft_for_period,
)
from reports.services.reminders import (
    RemindersSent,
    reminders_send_weekly,
)

__all__ = [
    "FIGURES_SCHEMA",
    "period_start",
    "period_next",
    "period_previous",
    "period_from_string",
    "period_label",
    "period_slug",
    "COMPLIANCE_WORDS",
    "update_correction_start",
    "update_draft_for_period",
    "NARRATIVE_TAGS",
    "render_markdown",
    "update_edit",
    "update_publish",
    "update_withdraw",
    "RemindersSent",
    "reminders_send_weekly",
]
