"""Demo governance (issue 13), for seed_demo: revised due dates (some slipped twice, one refused, one
awaiting a decision), the Quality Governance Committee and the Executive Management Board with past
and coming meetings, ratified, returned, embedded and reopened actions, and the regulatory mapping
filled in from the kinds of finding the CQC made about the trust. Idempotent: run once per database.

Everything goes through the services, with dates in the past, so the demo obeys the same rules.
"""

import datetime
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from actions.models import Action, ActionType, Committee, CoreService, EvidenceKind, KeyQuestion, Meeting, Regulation
from actions.models import Status as S
from actions.services import (
    action_assure,
    action_log_progress,
    action_put_to_meeting,
    action_reopen,
    action_review_sustainability,
    committee_decision_record,
    due_date_revise,
    due_date_revision_decide,
    due_date_revision_request,
    evidence_attach,
)
from pillars.models import Pillar

QGC = "Quality Governance Committee"
EMB = "Executive Management Board"
INSPECTION = "CQC inspection report, published 2022"
WARNING_NOTICE = "CQC section 29A warning notice, 2022"
K, C = KeyQuestion, CoreService

# Regulatory mapping for the demo's CQC actions: reference -> (finding, regulations, key question, core service).
FINDINGS = {
    "WN-01": ("Safeguarding referrals were not always made or followed up; the trust could not show referrals were tracked.", ["13"], K.SAFE, C.EMERGENCY_AND_URGENT_CARE),
    "WN-02": ("The trust had not assured itself that all directors met the fit and proper persons requirement.", ["19", "17"], K.WELL_LED, C.EMERGENCY_AND_URGENT_CARE),
    "WN-03": ("Governance processes did not give the board oversight of risks and serious incidents.", ["17"], K.WELL_LED, C.EMERGENCY_AND_URGENT_CARE),
    "WN-04": ("There were not enough call handlers to answer 999 calls promptly at busy times.", ["18", "12"], K.RESPONSIVE, C.EOC),
    "MD-01": ("Staff had not completed safeguarding training to the level their role required.", ["13", "18"], K.SAFE, C.EMERGENCY_AND_URGENT_CARE),
    "MD-02": ("Medicines were not always stored, recorded or disposed of safely on vehicles and at stations.", ["12"], K.SAFE, C.EMERGENCY_AND_URGENT_CARE),
    "MD-03": ("Patient records were not always complete or audited.", ["17"], K.EFFECTIVE, C.EMERGENCY_AND_URGENT_CARE),
    "MD-04": ("Patients waited too long for a clinical call-back from NHS 111.", ["12"], K.RESPONSIVE, C.NHS_111),
    "MD-05": ("Not all staff had an appraisal in the last year.", ["18"], K.EFFECTIVE, C.EMERGENCY_AND_URGENT_CARE),
    "MD-06": ("Staff did not feel able to raise concerns without fear; bullying and harassment were reported.", ["17"], K.WELL_LED, C.EMERGENCY_AND_URGENT_CARE),
    "MD-07": ("Vehicles and equipment were not always clean; infection risks were not controlled.", ["15", "12"], K.SAFE, C.EMERGENCY_AND_URGENT_CARE),
    "MD-08": ("Complaints were not always answered within the agreed timescale.", ["16"], K.RESPONSIVE, C.EMERGENCY_AND_URGENT_CARE),
    "MD-09": ("The duty of candour was not applied consistently after incidents.", ["20"], K.SAFE, C.EMERGENCY_AND_URGENT_CARE),
    "MD-10": ("Staff did not know the trust's vision and strategy.", ["17"], K.WELL_LED, C.EMERGENCY_AND_URGENT_CARE),
    "SD-01": ("Handovers at emergency departments delayed crews from responding to other patients.", ["12"], K.RESPONSIVE, C.EMERGENCY_AND_URGENT_CARE),
    "SD-02": ("Learning from incidents was not shared with front-line crews.", ["17"], K.SAFE, C.EMERGENCY_AND_URGENT_CARE),
    "SD-03": ("Staff lacked protected time for statutory and mandatory training.", ["18"], K.EFFECTIVE, C.EOC),
    "SD-04": ("Welfare facilities at some make-ready centres were poor.", ["15"], K.WELL_LED, C.EMERGENCY_AND_URGENT_CARE),
    "SD-05": ("Shift overruns were frequent and affected staff wellbeing.", ["18"], K.WELL_LED, C.EMERGENCY_AND_URGENT_CARE),
    "SD-06": ("Consent and mental capacity were not always recorded.", ["11"], K.EFFECTIVE, C.EMERGENCY_AND_URGENT_CARE),
    "SD-07": ("Patients and the public were not involved in designing urgent care services.", ["9"], K.RESPONSIVE, C.NHS_111),
    "SD-08": ("Patients' dignity was not always maintained during long waits outside hospitals.", ["10"], K.CARING, C.EMERGENCY_AND_URGENT_CARE),
}  # fmt: skip


@dataclass(frozen=True)
class GovernedAction:
    reference: str
    title: str
    pillar: int
    owner: str
    executive: str
    finding: tuple


# New demo actions that show the whole governance journey (the others stop at assured or earlier).
GOVERNED = [
    GovernedAction("MD-11", "Make sure medicines are managed safely at every make-ready centre", 1, "owner", "exec_quality",
                   ("Controlled drugs were not always checked and recorded at make-ready centres.", ["12"], K.SAFE, C.EMERGENCY_AND_URGENT_CARE)),
    GovernedAction("WN-05", "Report safeguarding training compliance to the board every month", 1, "owner2", "exec_quality",
                   ("The board did not have assurance that staff were trained in safeguarding.", ["13", "17"], K.WELL_LED, C.EMERGENCY_AND_URGENT_CARE)),
    GovernedAction("MD-12", "Answer NHS 111 calls within 60 seconds at peak times", 2, "owner", "board",
                   ("Too many NHS 111 calls were abandoned or answered late at peak times.", ["12", "17"], K.RESPONSIVE, C.NHS_111)),
    GovernedAction("MD-13", "Staff the Emergency Operations Centres with enough skilled people on every shift", 2, "owner2", "board",
                   ("Emergency operations centres were not staffed to the planned levels, especially at night.", ["18"], K.SAFE, C.EOC)),
    GovernedAction("SD-09", "Train every manager to tackle bullying and harassment", 3, "owner", "exec_people",
                   ("Staff told inspectors of a culture of bullying and harassment in some areas.", ["17"], K.WELL_LED, C.EMERGENCY_AND_URGENT_CARE)),
    GovernedAction("MD-14", "Make sure risks escalate from operating units to the board", 4, "owner2", "board",
                   ("Risks identified at operating units did not reach the board.", ["17"], K.WELL_LED, C.RESILIENCE)),
]  # fmt: skip


def _ago(now, days: int):
    return now - datetime.timedelta(days=days)


def _map(action: Action, finding: tuple, regulations: dict) -> None:
    text, numbers, key_question, core_service = finding
    source = WARNING_NOTICE if action.action_type == ActionType.WARNING_NOTICE else INSPECTION
    Action.objects.filter(pk=action.pk).update(
        cqc_finding=text, key_question=key_question, core_service=core_service, source=source
    )
    action.regulations.set([regulations[n] for n in numbers])


def _completed_and_assured(action: Action, users: dict, *, done_days_ago: int, now) -> None:
    author = users[action.owner.username]
    action_log_progress(
        action=action,
        author=author,
        narrative="Work under way with the operating units.",
        status=S.ON_TRACK,
        percent_complete=50,
        at=_ago(now, done_days_ago + 60),
        notify=False,
        public_highlight="Work has started across our operating units.",
    )
    evidence_attach(
        action=action,
        uploaded_by=author,
        description="Completion report and audit results",
        uploaded_file=ContentFile(f"Completion report for {action.reference}.\n".encode(), name="completion.txt"),
        at=_ago(now, done_days_ago + 1),
    )
    action_log_progress(
        action=action,
        author=author,
        narrative="All planned work done; evidence attached.",
        status=S.COMPLETE,
        percent_complete=100,
        at=_ago(now, done_days_ago),
        notify=False,
        public_highlight="The planned work is complete and with our assurance team.",
    )
    action_assure(action=action, lead=users["lead"], at=_ago(now, done_days_ago - 5), notify=False)


def _sustained(action: Action, users: dict, *, at) -> None:
    evidence_attach(
        action=action,
        uploaded_by=users[action.owner.username],
        kind=EvidenceKind.SUSTAINABILITY,
        description="Three months of audit results after ratification: compliance held above 95%",
        uploaded_file=ContentFile(b"Sustainability audit results.\n", name="sustainability.txt"),
        at=at - datetime.timedelta(days=3),
    )
    action_review_sustainability(action=action, lead=users["lead"], at=at, notify=False)


@transaction.atomic
def demo_governance_seed(users: dict) -> bool:
    """Seed the demo's governance once (False, changing nothing, if the committees already exist)."""
    if Committee.objects.filter(name=QGC).exists():
        return False
    now = timezone.now()
    today = timezone.localdate()
    regulations = {r.number: r for r in Regulation.objects.all()}
    lead, lead2 = users["lead"], users["lead2"]

    # The regulatory mapping of the existing CQC actions.
    for action in Action.objects.filter(reference__in=FINDINGS):
        _map(action, FINDINGS[action.reference], regulations)

    # Committees and their meetings, past and coming.
    qgc = Committee.objects.create(name=QGC, description="A board committee: assures the quality and safety of care.")
    emb = Committee.objects.create(name=EMB, description="The executive team: ratifies corporate and people actions.")
    meetings = {}
    for committee, offsets in ((qgc, (-280, -120, -30, 14)), (emb, (-250, -180, -60, 21))):
        for offset in offsets:
            meetings[(committee.name, offset)] = Meeting.objects.create(
                committee=committee, date=today + datetime.timedelta(days=offset)
            )

    # Revised due dates: slipped twice, slipped once, refused, and one awaiting a decision.
    by_ref = {
        a.reference: a for a in Action.objects.filter(reference__in=["WN-01", "MD-05", "IJ-03", "MD-01", "SD-05"])
    }
    if "WN-01" in by_ref:
        wn01 = by_ref["WN-01"]
        due_date_revise(
            action=wn01,
            lead=lead,
            new_date=today + datetime.timedelta(days=10),
            notify=False,
            reason="The referral system upgrade was delayed by the supplier.",
            at=_ago(now, 90),
        )
        wn01.refresh_from_db()
        due_date_revise(
            action=wn01,
            lead=lead,
            new_date=today + datetime.timedelta(days=40),
            notify=False,
            reason="More safeguarding leads recruited; the training cohort moved to spring.",
            at=_ago(now, 30),
        )
    for reference, days, reason in (
        ("MD-05", 30, "Appraisal season moved to align with the new pay progression policy."),
        ("IJ-03", 45, "The network's launch moved so staff side could co-design it."),
    ):
        if reference in by_ref:
            due_date_revise(
                action=by_ref[reference],
                lead=lead,
                new_date=today + datetime.timedelta(days=days),
                reason=reason,
                at=_ago(now, 20),
                notify=False,
            )
    if "MD-01" in by_ref:
        md01 = by_ref["MD-01"]
        asked = due_date_revision_request(
            action=md01,
            requested_by=md01.owner,
            reason="Winter pressures on training.",
            new_date=today + datetime.timedelta(days=20),
            at=_ago(now, 15),
        )
        due_date_revision_decide(
            revision=asked,
            lead=lead,
            agree=False,
            at=_ago(now, 14),
            notify=False,
            refusal_reason="The CQC deadline stands: a recovery plan instead.",
        )
    if "SD-05" in by_ref:
        sd05 = by_ref["SD-05"]
        due_date_revision_request(
            action=sd05,
            requested_by=sd05.owner,
            at=_ago(now, 3),
            new_date=sd05.due_date + datetime.timedelta(days=50),
            reason="Staff side asked for a longer consultation on the overrun policy.",
        )

    # The actions that show the whole journey.
    pillars = {p.number: p for p in Pillar.objects.all()}
    governed = {}
    for item in GOVERNED:
        if Action.objects.filter(reference=item.reference).exists():
            continue
        action_type = {"WN": ActionType.WARNING_NOTICE, "MD": ActionType.MUST_DO, "SD": ActionType.SHOULD_DO}[
            item.reference[:2]
        ]
        due = today - datetime.timedelta(days=120)
        action = Action.objects.create(
            reference=item.reference,
            title=item.title,
            action_type=action_type,
            pillar=pillars[item.pillar],
            description=f"{item.title}. Owned by the named action owner and overseen by the executive lead.",
            owner=users[item.owner],
            executive_lead=users[item.executive],
            due_date=due,
            original_due_date=due,
            created_at=_ago(now, 420),
        )
        _map(action, item.finding, regulations)
        governed[item.reference] = action

    def decide(reference, committee, offset, decision, minute, reason=""):
        action = Action.objects.get(reference=reference)
        meeting = meetings[(committee, offset)]
        put_at = datetime.datetime.combine(meeting.date, datetime.time(9), tzinfo=now.tzinfo) - datetime.timedelta(
            days=7
        )
        item = action_put_to_meeting(action=action, meeting=meeting, lead=lead2, at=put_at)
        if decision:
            committee_decision_record(
                item=item,
                lead=lead2,
                decision=decision,
                minute_reference=minute,
                reason=reason,
                at=put_at + datetime.timedelta(days=8),
                notify=False,
            )

    if governed:
        # MD-11 and WN-05: assured, ratified, and embedded after their sustainability review.
        _completed_and_assured(governed["MD-11"], users, done_days_ago=300, now=now)
        decide("MD-11", QGC, -280, "ratified", "QGC/24/031")
        _sustained(Action.objects.get(reference="MD-11"), users, at=_ago(now, 180))
        _completed_and_assured(governed["WN-05"], users, done_days_ago=270, now=now)
        decide("WN-05", EMB, -250, "ratified", "EMB/24/112")
        _sustained(Action.objects.get(reference="WN-05"), users, at=_ago(now, 150))
        # MD-12: ratified a month ago, its sustainability review due in two months.
        _completed_and_assured(governed["MD-12"], users, done_days_ago=50, now=now)
        decide("MD-12", QGC, -30, "ratified", "QGC/25/014")
        # MD-13: returned by the board, now on the committee's next agenda.
        _completed_and_assured(governed["MD-13"], users, done_days_ago=80, now=now)
        decide(
            "MD-13",
            EMB,
            -60,
            "returned",
            "EMB/25/047",
            reason="The evidence covers day shifts only: show night-shift fill rates for three months.",
        )
        decide("MD-13", QGC, 14, None, "")
        # SD-09: ratified, then reopened when the staff survey showed the improvement slipping.
        _completed_and_assured(governed["SD-09"], users, done_days_ago=200, now=now)
        decide("SD-09", EMB, -180, "ratified", "EMB/24/139")
        action_reopen(
            action=Action.objects.get(reference="SD-09"),
            lead=lead,
            status=S.AT_RISK,
            percent_complete=80,
            new_due_date=today + datetime.timedelta(days=45),
            reason="The staff survey showed reports of bullying rising again in two operating units.",
            at=_ago(now, 20),
            notify=False,
        )
        due_date_revise(
            action=Action.objects.get(reference="SD-09"),
            lead=lead,
            new_date=today + datetime.timedelta(days=60),
            reason="Reopened: a new plan for the two operating units, agreed with staff side.",
            at=_ago(now, 19),
            notify=False,
        )
        # MD-14: assured, waiting to be put to a committee.
        _completed_and_assured(governed["MD-14"], users, done_days_ago=12, now=now)
    # Two actions the demo assured earlier go on the committee's next agenda.
    for reference in ("MD-10", "WN-02"):
        if Action.objects.filter(reference=reference, status=S.ASSURED).exists():
            decide(reference, QGC, 14, None, "")
    return True
