"""The action plan out as a spreadsheet (CSV): the register as filtered, in the import's columns
(actions.importing) so an exported file can be changed and imported again, then status and progress.
"""

from django.utils import timezone
from django.utils.formats import date_format

from actions.importing.rows import COLUMNS

# The export adds these after the importable columns; the importer ignores them (status and percent
# complete follow the progress log, never a spreadsheet).
EXPORT_ONLY_HEADINGS = [
    "Status",
    "Percent complete",
    "Overdue",
    "Last progress logged",
    "Original due date",
    "Due date revisions",
]


def _safe_cell(value: str) -> str:
    """Keep a spreadsheet from running text as a formula (CSV injection): prefix it with an apostrophe."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def export_rows(actions) -> list[list[str]]:
    """The heading row and one row per action: the import's columns, then status and progress figures.

    `actions` must come with pillar, owner and executive lead joined and themes prefetched.
    """

    def person(user):
        return user.get_full_name() or user.get_username()

    rows = [[column.heading for column in COLUMNS] + EXPORT_ONLY_HEADINGS]
    for action in actions:
        cells = [
            action.reference,
            action.title,
            action.description,
            action.get_action_type_display(),
            action.cqc_regulation,
            action.pillar.name,
            "; ".join(theme.short_name for theme in action.themes.all()),
            person(action.owner),
            person(action.executive_lead),
            action.due_date.isoformat(),
            "yes" if action.is_public else "no",
            action.cqc_finding,
            "; ".join(regulation.number for regulation in action.regulations.all()),
            action.get_key_question_display(),
            action.get_core_service_display(),
            action.source,
            "",  # due date reason: filled in only to change the due date
            str(action.version),
            action.get_status_display(),
            str(action.percent_complete),
            "yes" if action.is_overdue else "no",
            date_format(timezone.localtime(action.last_progress_at), "Y-m-d H:i") if action.last_progress_at else "",
            action.original_due_date.isoformat(),
            str(getattr(action, "agreed_revisions", None) or action.due_date_revisions.filter(state="agreed").count()),
        ]
        rows.append([_safe_cell(cell) for cell in cells])
    return rows
