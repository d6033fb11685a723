"""Demo governance data for seed_demo (issue 13): the regulatory mapping of the CQC actions (the kinds of
finding the CQC made about the trust) and the Quality Governance Committee and Executive Management
Board with their past and coming meetings. The events themselves (assurances, decisions, reviews,
reopenings) are replayed with the rest of each action's history by actions.demo.
"""

import datetime

from django.utils import timezone

from actions.models import Committee, CoreService, KeyQuestion, Meeting

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
    "WN-05": ("The board did not have assurance that staff were trained in safeguarding.", ["13", "17"], K.WELL_LED, C.EMERGENCY_AND_URGENT_CARE),
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
    "MD-11": ("Controlled drugs were not always checked and recorded at make-ready centres.", ["12"], K.SAFE, C.EMERGENCY_AND_URGENT_CARE),
    "MD-12": ("Too many NHS 111 calls were abandoned or answered late at peak times.", ["12", "17"], K.RESPONSIVE, C.NHS_111),
    "MD-13": ("Emergency operations centres were not staffed to the planned levels, especially at night.", ["18"], K.SAFE, C.EOC),
    "MD-14": ("Risks identified at operating units did not reach the board.", ["17"], K.WELL_LED, C.RESILIENCE),
    "SD-01": ("Handovers at emergency departments delayed crews from responding to other patients.", ["12"], K.RESPONSIVE, C.EMERGENCY_AND_URGENT_CARE),
    "SD-02": ("Learning from incidents was not shared with front-line crews.", ["17"], K.SAFE, C.EMERGENCY_AND_URGENT_CARE),
    "SD-03": ("Staff lacked protected time for statutory and mandatory training.", ["18"], K.EFFECTIVE, C.EOC),
    "SD-04": ("Welfare facilities at some make-ready centres were poor.", ["15"], K.WELL_LED, C.EMERGENCY_AND_URGENT_CARE),
    "SD-05": ("Shift overruns were frequent and affected staff wellbeing.", ["18"], K.WELL_LED, C.EMERGENCY_AND_URGENT_CARE),
    "SD-06": ("Consent and mental capacity were not always recorded.", ["11"], K.EFFECTIVE, C.EMERGENCY_AND_URGENT_CARE),
    "SD-07": ("Patients and the public were not involved in designing urgent care services.", ["9"], K.RESPONSIVE, C.NHS_111),
    "SD-08": ("Patients' dignity was not always maintained during long waits outside hospitals.", ["10"], K.CARING, C.EMERGENCY_AND_URGENT_CARE),
    "SD-09": ("Staff told inspectors of a culture of bullying and harassment in some areas.", ["17"], K.WELL_LED, C.EMERGENCY_AND_URGENT_CARE),
}  # fmt: skip

# Each committee's meetings, in days from today (negative: past). The demo's decisions name them.
MEETING_DAYS = {QGC: (-280, -120, -30, 14), EMB: (-250, -180, -60, 21)}
COMMITTEE_DESCRIPTIONS = {
    QGC: "A board committee: assures the quality and safety of care.",
    EMB: "The executive team: ratifies corporate and people actions.",
}


def source_for(reference: str) -> str:
    """Where a CQC action's finding comes from: the warning notice or the inspection report."""
    return WARNING_NOTICE if reference.startswith("WN-") else INSPECTION


def demo_meetings_seed(*, today: datetime.date | None = None) -> dict[tuple[str, int], Meeting]:
    """The two committees and their meetings (created once), keyed by (committee name, days from today)."""
    today = today or timezone.localdate()
    meetings = {}
    for name, offsets in MEETING_DAYS.items():
        committee, _ = Committee.objects.get_or_create(
            name=name, defaults={"description": COMMITTEE_DESCRIPTIONS[name]}
        )
        for offset in offsets:
            meetings[(name, offset)], _ = Meeting.objects.get_or_create(
                committee=committee, date=today + datetime.timedelta(days=offset)
            )
    return meetings
