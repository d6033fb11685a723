"""What each row of a lead's work queue asks of them, and the page where they decide it (issue 27): a
due-date revision says "30 November → 31 January, because …" and links to its own decision page, a
completion links to the sign-off page, an assured action to putting it to a committee.
"""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from actions.models import Action, DueDateRevision, RevisionState
from secamb_journey.forms import lower_first


@dataclass(frozen=True)
class QueueDecision:
    action: Action
    decide_url: str
    decide_words: str  # the link's words; the template adds the action's reference for screen readers
    summary: str = ""  # what is asked, in words (not a revision)
    moved_from: str = ""  # a revision: the agreed due date, the one asked for, and why
    moved_to: str = ""
    because: str = ""


def _day(day: datetime.date, *, with_year: bool) -> str:
    return date_format(day, "j F Y" if with_year else "j F")


def _revisions(actions: list) -> list[QueueDecision]:
    # One query: the requested revisions of these actions (the first requested, where there are several).
    first = {}
    for revision in DueDateRevision.objects.filter(
        action__in=[a.pk for a in actions], state=RevisionState.REQUESTED
    ).order_by("-requested_at", "-id"):
        first[revision.action_id] = revision
    this_year = timezone.localdate().year
    rows = []
    for action in actions:
        revision = first.get(action.pk)
        if revision is None:
            continue
        years = {revision.previous_due_date.year, revision.new_due_date.year}
        with_year = years != {this_year}
        rows.append(
            QueueDecision(
                action=action,
                decide_url=reverse("actions:due_date_decide", args=[action.reference, revision.pk]),
                decide_words="Agree or refuse",
                moved_from=_day(revision.previous_due_date, with_year=with_year),
                moved_to=_day(revision.new_due_date, with_year=with_year),
                because=lower_first(revision.reason),  # "because the supplier..."; "NHS..." stays
            )
        )
    return rows


def _on_record(url_name: str, decide_words: str, happened: str, at_field: str):
    """The rows of a section whose actions wait on what happened to them ("Marked complete on 3 March 2026"):
    each links to the page `url_name` where the lead decides.
    """

    def decisions(actions: list) -> list[QueueDecision]:
        rows = []
        for action in actions:
            at = getattr(action, at_field)
            summary = f"{happened} on {date_format(timezone.localtime(at), 'j F Y')}" if at else happened
            url = reverse(url_name, args=[action.reference])
            rows.append(QueueDecision(action=action, decide_url=url, decide_words=decide_words, summary=summary))
        return rows

    return decisions


DECISIONS = {
    "revisions": _revisions,
    "awaiting_assurance": _on_record("actions:assure", "Sign off or return", "Marked complete", "completed_at"),
    "to_ratify": _on_record("actions:put_to_meeting", "Put to a committee", "Assured", "assured_at"),
}
# What a section's rows ask, said once above them rather than in every row.
ASKED = {
    "revisions": "Each owner asks to move a due date: agree or refuse it.",
    "awaiting_assurance": "Check each one's evidence, then sign it off as assured or return it to its owner.",
    "to_ratify": "Put each on a committee's agenda for ratification.",
}


def queue_decisions(sections: list) -> list:
    """The sections, those whose rows are decisions each given theirs (section.decisions)."""
    for section in sections:
        make = DECISIONS.get(section.key)
        if make is not None:
            section.decisions = make(section.actions)
            section.asked = ASKED[section.key]
    return sections
