"""Demo actions for `manage.py seed_demo`: at least thirty realistic actions with progress histories,
evidence and sign-offs, written through the services as a person would."""

from dataclasses import dataclass
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from actions.models import Action, ActionType, CqcRegulation, Status
from actions.services import action_assure, action_log_progress, evidence_attach
from pillars.models import Pillar
from themes.models import Theme


@dataclass(frozen=True)
class DemoAction:
    reference: str
    title: str
    pillar: int
    themes: tuple[int, ...]
    regulation: str
    owner: str
    executive: str
    due_in_days: int
    status: str
    percent: int
    is_public: bool = True


S = Status
R = CqcRegulation
# One row per action reads as the table it is, so the formatter leaves it alone.
# fmt: off
DEMO_ACTIONS = [
    DemoAction("WN-01", "Make sure safeguarding referrals are made and tracked within 24 hours", 1, (4,), R.REG_13, "owner", "exec_quality", -20, S.OFF_TRACK, 55),
    DemoAction("WN-02", "Introduce a fit and proper persons test for every director appointment", 4, (3, 5), R.REG_19, "lead", "board", -120, S.ASSURED, 100),
    DemoAction("WN-03", "Strengthen board oversight of the risk register and serious incidents", 1, (2, 4), R.REG_17, "owner2", "board", -60, S.COMPLETE, 100),
    DemoAction("WN-04", "Ensure enough trained call handlers on every 999 shift", 2, (1, 4), R.REG_18, "owner", "board", 25, S.AT_RISK, 60),
    DemoAction("MD-01", "Complete mandatory safeguarding training for all patient-facing staff", 1, (4,), R.REG_13, "owner2", "exec_quality", -35, S.AT_RISK, 80),
    DemoAction("MD-02", "Check medicines are stored, recorded and disposed of safely on every vehicle", 1, (4,), R.REG_12, "owner", "exec_quality", 40, S.ON_TRACK, 65),
    DemoAction("MD-03", "Audit clinical records for completeness every month and act on the findings", 1, (4, 2), R.REG_17, "owner2", "exec_quality", -90, S.ASSURED, 100),
    DemoAction("MD-04", "Reduce the time patients wait for a clinical call-back from 111", 2, (4,), R.REG_12, "owner", "board", 75, S.ON_TRACK, 40),
    DemoAction("MD-05", "Give every member of staff a yearly appraisal", 3, (1, 6), R.REG_18, "owner2", "exec_people", -10, S.OFF_TRACK, 35),
    DemoAction("MD-06", "Ensure freedom to speak up guardians are available to all staff", 3, (6, 3), R.REG_17, "owner", "exec_people", -45, S.COMPLETE, 100),
    DemoAction("MD-07", "Make sure vehicles and equipment are clean and infection risks controlled", 2, (4,), R.REG_15, "owner2", "board", 120, S.NOT_STARTED, 0),
    DemoAction("MD-08", "Respond to complaints within the agreed timescale and learn from them", 1, (4, 2), R.REG_16, "owner", "exec_quality", -5, S.ON_TRACK, 85),
    DemoAction("MD-09", "Apply the duty of candour consistently after incidents that cause harm", 1, (4, 3), R.REG_20, "owner2", "exec_quality", 30, S.ON_TRACK, 50),
    DemoAction("MD-10", "Publish a clear vision and strategy that staff understand", 4, (2,), R.REG_17, "lead", "board", -150, S.ASSURED, 100),
    DemoAction("SD-01", "Improve the handover of patients at emergency departments", 2, (4,), R.REG_12, "owner", "board", 60, S.AT_RISK, 30),
    DemoAction("SD-02", "Share learning from incidents with front-line crews every month", 1, (4, 5), R.REG_17, "owner2", "exec_quality", 15, S.ON_TRACK, 70),
    DemoAction("SD-03", "Make sure staff have protected time for statutory and mandatory training", 3, (1,), R.REG_18, "owner", "exec_people", -25, S.OFF_TRACK, 20),
    DemoAction("SD-04", "Improve welfare facilities at make-ready centres", 3, (1,), R.REG_15, "owner2", "exec_people", 90, S.NOT_STARTED, 0),
    DemoAction("SD-05", "Review the end-of-shift overrun policy with staff side", 3, (1, 6), R.REG_18, "owner", "exec_people", 10, S.AT_RISK, 45),
    DemoAction("SD-06", "Record patients' consent and mental capacity assessments consistently", 1, (4,), R.REG_11, "owner2", "exec_quality", -70, S.COMPLETE, 100),
    DemoAction("SD-07", "Involve patients and the public in designing urgent care pathways", 4, (2,), R.REG_9, "owner", "board", 150, S.ON_TRACK, 15),
    DemoAction("SD-08", "Treat patients with dignity during long waits outside hospitals", 2, (4, 6), R.REG_10, "owner2", "board", 45, S.ON_TRACK, 55),
    DemoAction("IJ-01", "Run listening events with the executive team at every operating unit", 3, (5, 3), "", "owner", "board", -30, S.ASSURED, 100),
    DemoAction("IJ-02", "Launch a leadership development programme for operational managers", 3, (3, 5), "", "owner2", "exec_people", 100, S.ON_TRACK, 35),
    DemoAction("IJ-03", "Set up a staff network for zero tolerance of bullying and harassment", 3, (6, 1), "", "owner", "exec_people", -15, S.AT_RISK, 70),
    DemoAction("IJ-04", "Build a quality improvement faculty and train 200 QI practitioners", 1, (4, 2), "", "owner2", "exec_quality", 180, S.ON_TRACK, 25),
    DemoAction("IJ-05", "Agree shared urgent care pathways with each Integrated Care System", 4, (2,), "", "owner", "board", 200, S.NOT_STARTED, 0),
    DemoAction("IJ-06", "Publish monthly Improvement Journey updates to staff and the public", 4, (5, 2), "", "lead", "board", -100, S.ASSURED, 100),
    DemoAction("IJ-07", "Introduce a just and learning culture framework", 3, (6, 4), "", "owner2", "exec_people", 50, S.OFF_TRACK, 10),
    DemoAction("IJ-08", "Roll out clinical supervision for 111 clinical advisers", 2, (4, 1), "", "owner", "exec_quality", -3, S.COMPLETE, 100),
    DemoAction("IJ-09", "Reduce sickness absence in the Emergency Operations Centres", 2, (1,), "", "owner2", "board", 130, S.AT_RISK, 25),
    DemoAction("IJ-10", "Agree estates and fleet plans with NHS England for the next three years", 4, (2,), "", "lead", "board", 210, S.NOT_STARTED, 0, False),
    DemoAction("IJ-11", "Review executive portfolios and publish who is accountable for what", 4, (3, 2), "", "owner", "board", 20, S.ON_TRACK, 75, False),
# fmt: on
]

_NARRATIVES = {  # fmt: skip
    S.ON_TRACK: "Work is progressing to plan. The working group met this month and agreed the next steps with operating unit managers.",
    S.AT_RISK: "Progress has slowed because of winter pressures and staff availability. A recovery plan is being agreed with the executive lead.",
    S.OFF_TRACK: "This action has slipped: the original approach did not work and the plan is being reset with the executive lead and the PMO.",
    S.COMPLETE: "All planned work is done. Evidence of completion is attached for assurance.",
    S.NOT_STARTED: "Scoping has begun; the action will start once the project lead is in post.",
}
_HIGHLIGHTS = {
    S.ON_TRACK: "Staff at every operating unit have been told about the changes and asked for their views.",
    S.COMPLETE: "This work is now complete and is with our assurance team for checking.",
}


def _progress_plan(item: DemoAction) -> list[tuple[str, int, int]]:
    """A believable history ending at the action's demo status: (status, percent, days ago) entries."""
    if item.status == S.NOT_STARTED:
        return [(S.NOT_STARTED, 0, 40)]
    end = S.COMPLETE if item.status in (S.COMPLETE, S.ASSURED) else item.status
    final_percent = 100 if end == S.COMPLETE else item.percent
    # Stale on purpose: a couple of open actions have had no progress logged for over 30 days.
    last_days_ago = 45 if item.reference in {"SD-03", "IJ-07"} else 6
    return [
        (S.ON_TRACK, max(final_percent // 4, 5), last_days_ago + 70),
        (S.ON_TRACK if end != S.OFF_TRACK else S.AT_RISK, max(final_percent // 2, 10), last_days_ago + 35),
        (end, final_percent, last_days_ago),
    ]


@transaction.atomic
def demo_actions_seed(users: dict) -> int:
    """At least thirty realistic actions with histories. Existing references are left untouched."""
    pillars = {p.number: p for p in Pillar.objects.all()}
    themes = {t.number: t for t in Theme.objects.all()}
    today = timezone.localdate()
    now = timezone.now()
    created = 0
    type_by_prefix = {ActionType(t).prefix: t for t in ActionType.values}
    for item in DEMO_ACTIONS:
        if Action.objects.filter(reference=item.reference).exists():
            continue
        action = Action.objects.create(
            reference=item.reference,
            title=item.title,
            description=f"{item.title}. Owned by the named action owner and overseen by the executive lead.",
            action_type=type_by_prefix[item.reference[:2]],
            cqc_regulation=item.regulation,
            pillar=pillars[item.pillar],
            owner=users[item.owner],
            executive_lead=users[item.executive],
            due_date=today + timedelta(days=item.due_in_days),
            original_due_date=today + timedelta(days=item.due_in_days),
            is_public=item.is_public,
            created_at=now - timedelta(days=130),
        )
        action.themes.set([themes[n] for n in item.themes])
        author = users[item.owner]
        for status, percent, days_ago in _progress_plan(item):
            at = now - timedelta(days=days_ago)
            if status == S.COMPLETE:
                evidence_attach(
                    action=action,
                    uploaded_by=author,
                    uploaded_file=ContentFile(
                        f"Completion report for {item.reference}: {item.title}.\n".encode(),
                        name=f"{item.reference.lower()}-completion-report.txt",
                    ),
                    description="Completion report signed off by the executive lead",
                    at=at,
                )
            action_log_progress(
                action=action,
                author=author,
                narrative=_NARRATIVES[status],
                status=status,
                percent_complete=percent,
                public_highlight=_HIGHLIGHTS.get(status, "") if item.is_public else "",
                at=at,
                notify=False,  # seeding is not news: no emails to the demo people
            )
        if item.status == S.ASSURED:
            assurer = users["lead2"] if item.owner == "lead" else users["lead"]
            action_assure(action=action, lead=assurer, at=now - timedelta(days=2), notify=False)
        created += 1
    return created
