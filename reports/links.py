"""Links from dashboard figures to the action register, filtered to exactly the actions a figure counts.

The register (/actions/, django-filter) and the dashboard agree on these GET parameter names; this
module is the one place the dashboard spells them, so a renamed filter is a one-line change here:

    pillar=<pillar slug>  theme=<theme slug>  type=<ActionType value>  status=<Status value> (repeatable)
    owner=<username>  executive_lead=<username>  overdue=yes  stale=yes
    due_after=YYYY-MM-DD  due_before=YYYY-MM-DD (both inclusive)  q=<text>
"""

import datetime
import functools
from urllib.parse import urlencode

from actions.choices import DONE_STATUSES, OPEN_STATUSES, SIGNED_OFF_STATUSES, Status
from actions.models.states import due_soon_until

REGISTER_PATH = "/actions/"

# Keyword argument -> GET parameter. Underscores in Python names, the register's names on the wire.
PARAMETERS = {
    "pillar": "pillar",
    "theme": "theme",
    "action_type": "type",
    "status": "status",
    "owner": "owner",
    "executive_lead": "executive_lead",
    "overdue": "overdue",
    "stale": "stale",
    "due_after": "due_after",
    "due_before": "due_before",
    "q": "q",
    # Governance and the regulatory mapping (issue 13).
    "slipped": "slipped",
    "slipped_twice": "slipped_twice",
    "brought_forward": "brought_forward",
    "awaiting_ratification": "awaiting_ratification",
    "review_due": "review_due",
    "embedded": "embedded",
    "reopened": "reopened",
    "reopened_open": "reopened_open",
    "revision_pending": "revision_pending",
    "on_agenda": "on_agenda",
    "regulation": "regulation",
    "cqc": "cqc",
    "key_question": "key_question",
    "core_service": "core_service",
    # What changed since a day (issue 14, the dashboard's "since the last meeting").
    "completed_since": "completed_since",
    "slipped_since": "slipped_since",
    "brought_forward_since": "brought_forward_since",
    "reopened_since": "reopened_since",
}


def _value(value) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value is True:
        return "yes"
    # A model instance with a slug (pillar, theme) or a username (owner, executive lead).
    for attribute in ("slug", "username"):
        if hasattr(value, attribute):
            return getattr(value, attribute)
    return str(value)


def register_url(**filters) -> str:
    """`register_url(pillar=p, status=[...], overdue=True)` -> "/actions/?pillar=...&status=...&overdue=yes".

    None, False and empty lists are left out, so a caller can pass every filter it might use.
    """
    pairs = []
    for name, value in filters.items():
        if value is None or value is False or value == [] or value == ():
            continue
        parameter = PARAMETERS[name]  # KeyError: a filter the register does not offer
        values = value if isinstance(value, list | tuple) else [value]
        pairs.extend((parameter, _value(v)) for v in values)
    return f"{REGISTER_PATH}?{urlencode(pairs)}" if pairs else REGISTER_PATH


class RegisterLinks:
    """The register links for one slice of the programme (a pillar, a theme, a type, or several at once).

    Templates ask it for the link behind each figure: `links.total`, `links.overdue`,
    `links.for_status.at_risk`, `links.done`, `links.open`, `links.stale`, `links.due_soon`.
    """

    def __init__(self, *, today: datetime.date, **scope):
        self.today = today
        self.scope = {k: v for k, v in scope.items() if v is not None}

    def url(self, **filters) -> str:
        return register_url(**self.scope, **filters)

    @property
    def total(self) -> str:
        return self.url()

    @property
    def overdue(self) -> str:
        return self.url(overdue=True)

    @property
    def stale(self) -> str:
        return self.url(stale=True)

    @property
    def done(self) -> str:
        return self.url(status=list(DONE_STATUSES))

    @property
    def assured(self) -> str:
        # StatusCounts.assured: signed off, embedded or not (an embedded action was assured first).
        return self.url(status=list(SIGNED_OFF_STATUSES))

    @property
    def open(self) -> str:
        return self.url(status=list(OPEN_STATUSES))

    @property
    def due_soon(self) -> str:
        # actions.models.states.due_soon_q, as the register's filters can say it.
        return self.url(status=list(OPEN_STATUSES), due_after=self.today, due_before=due_soon_until(self.today))

    @functools.cached_property
    def for_status(self) -> dict[str, str]:
        # Cached: a template asks for each status's link in turn, and each ask would build all six.
        return {status.value: self.url(status=status.value) for status in Status}
