"""Demo governance data for seed_demo (issue 13): where a CQC action's finding comes from (each finding is in
actions/demo/stories.toml) and the Quality Governance Committee and Executive Management Board with their
past and coming meetings. The events themselves (assurances, decisions, reviews,
reopenings) are replayed with the rest of each action's history by actions.demo.
"""

import datetime

from django.utils import timezone

from actions.models import Committee, Meeting

QGC = "Quality Governance Committee"
EMB = "Executive Management Board"
INSPECTION = "CQC inspection report, published 2022"
WARNING_NOTICE = "CQC section 29A warning notice, 2022"

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
