"""Demo actions for `manage.py seed_demo`: an honest history, replayed.

Every demo action is made by the services, event by event, with the clock moved: created, progress
logged over a year, evidence attached, completed, assured, due dates revised (asked for and decided, or
set by a lead), put to committees and decided, reviewed for sustainability, reopened, made public.
The events of all the actions are put in one list, sorted by time and applied in that order, so the
history's dates run in the same order as its records. Nothing is written behind the record: the
figures of any past day are what the record says they were.
"""

import datetime
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from actions.choices import ActionType, Status
from actions.demo.events import Ask, Assure, Decide, Decision, DemoAction, Log, MakePublic, Put, Reopen, Revise, Sustain
from actions.demo.governance import demo_meetings_seed, source_for
from actions.demo.stories import DEMO_ACTIONS
from actions.models import Action, EvidenceKind, Regulation
from actions.services.assurance import action_assure
from actions.services.editing import EDITABLE_FIELDS, M2M_FIELDS, action_create, action_update
from actions.services.governance import (
    action_put_to_meeting,
    action_review_sustainability,
    committee_decision_record,
    due_date_revise,
    due_date_revision_decide,
    due_date_revision_request,
)
from actions.services.progress import action_log_progress, evidence_attach
from actions.services.reopening import action_reopen
from pillars.models import Pillar
from themes.models import Theme

S = Status

LEAD, SECOND_LEAD = "lead", "lead2"


def _independent_lead(item: DemoAction) -> str:
    """The lead who signs off and decides on the action: never its owner (four eyes)."""
    return SECOND_LEAD if item.owner == LEAD else LEAD


def _planned_entries(item: DemoAction) -> list[tuple[int, str, int, str]]:
    """The owner's entries as (days ago, status, percent, narrative), spread evenly from three weeks after
    the action was created to its last entry, the status ending at `end`.
    """
    count = len(item.story)
    first = item.created_days_ago - 21 if count > 1 else item.last_days_ago
    step = (first - item.last_days_ago) / max(count - 1, 1)
    entries = []
    for index, narrative in enumerate(item.story):
        days_ago = round(first - index * step)
        last = index == count - 1
        if item.end == S.NOT_STARTED:
            status, percent = S.NOT_STARTED, 0
        elif item.end == S.COMPLETE:
            status = S.COMPLETE if last else S.ON_TRACK
            percent = 100 if last else min(95, round(100 * (index + 1) / count))
        else:
            percent = max(5, round(item.percent * (index + 1) / count))
            status = item.end if last else S.ON_TRACK
            if item.end == S.OFF_TRACK and index == count - 2:
                status = S.AT_RISK
        entries.append((days_ago, status, percent, narrative))
    return entries


@dataclass
class _Replay:
    """What the events need while they are applied: the people, the meetings, the actions made so far."""

    users: dict
    meetings: dict
    now: datetime.datetime
    today: datetime.date
    pillars: dict
    themes: dict
    regulations: dict
    actions: dict = field(default_factory=dict)
    asked: dict = field(default_factory=dict)  # reference -> its open revision request
    put: dict = field(default_factory=dict)  # (reference, committee, meeting day) -> agenda item

    def at(self, days_ago: int, minutes: int = 0) -> datetime.datetime:
        return self.now - datetime.timedelta(days=days_ago, minutes=minutes)

    def meeting_afternoon(self, committee: str, meeting_day: int) -> datetime.datetime:
        day = self.meetings[(committee, meeting_day)].date
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(15)))

    def action(self, item: DemoAction) -> Action:
        return Action.objects.get(pk=self.actions[item.reference].pk)  # as the last event left it

    def due(self, days: int) -> datetime.date:
        return self.today + datetime.timedelta(days=days)


def _create(replay: _Replay, item: DemoAction, at) -> None:
    data = {
        "reference": item.reference,
        "action_type": {ActionType(t).prefix: t for t in ActionType.values}[item.reference[:2]],
        "title": item.title,
        "description": item.description,
        "cqc_regulation": item.regulation,
        "pillar": replay.pillars[item.pillar],
        "themes": [replay.themes[n] for n in item.themes],
        "owner": replay.users[item.owner],
        "executive_lead": replay.users[item.executive],
        "due_date": replay.due(item.due_in_days),
        "is_public": item.is_public,
        "cqc_finding": item.finding,
        "regulations": [replay.regulations[n] for n in item.regulations],
        "key_question": item.key_question,
        "core_service": item.core_service,
        "source": source_for(item.reference) if item.finding else "",
    }
    replay.actions[item.reference] = action_create(creator=replay.users[LEAD], data=data, at=at, notify=False)


def _log(replay: _Replay, item: DemoAction, at, status: str, percent: int, narrative: str, highlight: bool) -> None:
    action = replay.action(item)
    owner = replay.users[item.owner]
    if status == S.COMPLETE:
        evidence_attach(
            action=action,
            uploaded_by=owner,
            uploaded_file=ContentFile(
                f"{item.reference}: {item.evidence or 'completion report'}.\n".encode(),
                name=f"{item.reference.lower()}-completion.txt",
            ),
            description=item.evidence or f"Completion report for {item.reference}",
            at=at - datetime.timedelta(minutes=30),
        )
    action_log_progress(
        action=action,
        author=owner,
        narrative=narrative,
        status=status,
        percent_complete=percent,
        # The public's own words (the story's highlight), never the narrative again.
        public_highlight=item.highlight if highlight else "",
        at=at,
        notify=False,  # seeding is not news: no emails to the demo people
    )


def _make_public(replay: _Replay, item: DemoAction, at) -> None:
    """As a lead makes an action public on its edit page: action_update with is_public."""
    action = replay.action(item)
    data = {name: getattr(action, name) for name in EDITABLE_FIELDS if name not in M2M_FIELDS}
    data["is_public"] = True
    action_update(
        action=action, editor=replay.users[LEAD], data=data, expected_version=action.version, at=at, notify=False
    )


def _assure(replay: _Replay, item: DemoAction, event: Assure, at, lead) -> None:
    action_assure(action=replay.action(item), lead=lead, at=at, notify=False)


def _revise(replay: _Replay, item: DemoAction, event: Revise, at, lead) -> None:
    due_date_revise(
        action=replay.action(item),
        lead=lead,
        new_date=replay.due(event.due_in_days),
        reason=event.reason,
        at=at,
        notify=False,
    )


def _ask(replay: _Replay, item: DemoAction, event: Ask, at, lead) -> None:
    replay.asked[item.reference] = due_date_revision_request(
        action=replay.action(item),
        requested_by=replay.users[item.owner],
        new_date=replay.due(event.due_in_days),
        reason=event.reason,
        at=at,
    )


def _decide(replay: _Replay, item: DemoAction, event: Decide, at, lead) -> None:
    due_date_revision_decide(
        revision=replay.asked.pop(item.reference),
        lead=lead,
        agree=event.agree,
        refusal_reason=event.refusal_reason,
        at=at,
        notify=False,
    )


def _put(replay: _Replay, item: DemoAction, event: Put, at, lead) -> None:
    meeting = replay.meetings[(event.committee, event.meeting_day)]
    replay.put[(item.reference, event.committee, event.meeting_day)] = action_put_to_meeting(
        action=replay.action(item), meeting=meeting, lead=lead, at=at
    )


def _decision(replay: _Replay, item: DemoAction, event: Decision, at, lead) -> None:
    committee_decision_record(
        item=replay.put[(item.reference, event.committee, event.meeting_day)],
        lead=lead,
        decision=event.decision,
        minute_reference=event.minute,
        reason=event.reason,
        at=at,
        notify=False,
    )


def _sustain(replay: _Replay, item: DemoAction, event: Sustain, at, lead) -> None:
    evidence_attach(
        action=replay.action(item),
        uploaded_by=replay.users[item.owner],
        kind=EvidenceKind.SUSTAINABILITY,
        description=event.evidence,
        uploaded_file=ContentFile(f"{item.reference}: {event.evidence}.\n".encode(), name="sustainability.txt"),
        at=at - datetime.timedelta(days=3),
    )
    action_review_sustainability(action=replay.action(item), lead=lead, at=at, notify=False)


def _reopen(replay: _Replay, item: DemoAction, event: Reopen, at, lead) -> None:
    action_reopen(
        action=replay.action(item),
        lead=lead,
        reason=event.reason,
        status=event.status,
        percent_complete=event.percent,
        new_due_date=at.date() + datetime.timedelta(days=event.due_in),
        at=at,
        notify=False,
    )


# What each kind of event does; a lead independent of the action (four eyes) acts for the leads.
APPLY = {
    Assure: _assure,
    Revise: _revise,
    Ask: _ask,
    Decide: _decide,
    Put: _put,
    Decision: _decision,
    Sustain: _sustain,
    Reopen: _reopen,
    Log: lambda replay, item, event, at, lead: _log(
        replay, item, at, event.status, event.percent, event.narrative, highlight=False
    ),
    MakePublic: lambda replay, item, event, at, lead: _make_public(replay, item, at),
}


def _apply(replay: _Replay, item: DemoAction, event, at) -> None:
    if type(event) not in APPLY:
        raise TypeError(f"Not a demo event: {event!r}")
    APPLY[type(event)](replay, item, event, at, replay.users[_independent_lead(item)])


def demo_events(replay: _Replay, items) -> list[tuple[datetime.datetime, int, object]]:
    """Every event of every action as (when, order, apply): sorted by time, each action's in story order."""
    events = []

    def add(at, apply):
        events.append((at, len(events), apply))

    for item in items:
        add(replay.at(item.created_days_ago), lambda r, at, item=item: _create(r, item, at))
        public_from = item.created_days_ago if item.is_public else None
        for event in item.events:
            if isinstance(event, MakePublic):
                public_from = event.days_ago
        entries = _planned_entries(item)
        for index, (days_ago, status, percent, narrative) in enumerate(entries):
            highlight = index == len(entries) - 1 and public_from is not None and public_from >= days_ago
            add(
                replay.at(days_ago),
                lambda r, at, item=item, s=status, p=percent, n=narrative, h=highlight: _log(r, item, at, s, p, n, h),
            )
        for event in item.events:
            if isinstance(event, Decision):
                at = replay.meeting_afternoon(event.committee, event.meeting_day)
            else:
                at = replay.at(event.days_ago)
            add(at, lambda r, at, item=item, event=event: _apply(r, item, event, at))
    return sorted(events, key=lambda event: (event[0], event[1]))


@transaction.atomic
def demo_actions_seed(users: dict, *, references=None) -> int:
    """Replay the demo actions' histories (those in `references`, all by default) through the services,
    in time order. Returns how many actions were created: 0, changing nothing, when the demo has been
    seeded already (any demo action exists).
    """
    items = [item for item in DEMO_ACTIONS if references is None or item.reference in references]
    if Action.objects.filter(reference__in=[item.reference for item in items]).exists():
        return 0
    now = timezone.now()
    replay = _Replay(
        users=users,
        meetings=demo_meetings_seed(today=timezone.localdate(now)),
        now=now,
        today=timezone.localdate(now),
        pillars={p.number: p for p in Pillar.objects.all()},
        themes={t.number: t for t in Theme.objects.all()},
        regulations={r.number: r for r in Regulation.objects.all()},
    )
    for at, _order, apply in demo_events(replay, items):
        if at > now:
            raise ValueError(f"A demo event is dated in the future ({at}): the demo records only what has happened.")
        apply(replay, at)
    return len(items)
