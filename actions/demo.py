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
from actions.demo_governance import EMB, FINDINGS, QGC, demo_meetings_seed, source_for
from actions.demo_highlights import HIGHLIGHTS
from actions.models import Action, CqcRegulation, EvidenceKind, Regulation
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
R = CqcRegulation


# --- The events an action's story may hold, besides its owner's progress entries ------------------


@dataclass(frozen=True)
class Assure:
    days_ago: int


@dataclass(frozen=True)
class Revise:
    """A lead sets a new due date directly (a revision asked for and agreed in one step)."""

    days_ago: int
    due_in_days: int
    reason: str


@dataclass(frozen=True)
class Ask:
    """The owner asks for a new due date; it waits for a lead's decision (Decide)."""

    days_ago: int
    due_in_days: int
    reason: str


@dataclass(frozen=True)
class Decide:
    days_ago: int
    agree: bool
    refusal_reason: str = ""


@dataclass(frozen=True)
class Put:
    """Put on a meeting's agenda (the meeting: committee name and days from today)."""

    days_ago: int
    committee: str
    meeting_day: int


@dataclass(frozen=True)
class Decision:
    """The committee's decision, recorded on the afternoon of the meeting it was put to."""

    committee: str
    meeting_day: int
    decision: str
    minute: str
    reason: str = ""


@dataclass(frozen=True)
class Sustain:
    """Sustainability evidence from the owner, then the lead's review three days later: embedded."""

    days_ago: int
    evidence: str


@dataclass(frozen=True)
class Reopen:
    """A lead reopens an assured action: a new start, with a new agreed due date `due_in` days on."""

    days_ago: int
    status: str
    percent: int
    reason: str
    due_in: int


@dataclass(frozen=True)
class Log:
    """A progress entry after the planned story (after a reopening, say)."""

    days_ago: int
    status: str
    percent: int
    narrative: str


@dataclass(frozen=True)
class MakePublic:
    days_ago: int


@dataclass(frozen=True)
class DemoAction:
    reference: str
    title: str
    pillar: int
    themes: tuple[int, ...]
    regulation: str
    owner: str
    executive: str
    due_in_days: int  # the original due date, in days from today
    end: str  # the status of the owner's last planned entry
    percent: int
    description: str
    story: tuple[str, ...]  # the owner's progress narratives, oldest first, spread over the year
    created_days_ago: int = 400
    last_days_ago: int = 7  # when the owner's last planned entry was made
    is_public: bool = True  # at creation; MakePublic publishes it later
    evidence: str = ""  # what the completion evidence shows (actions that end complete)
    events: tuple = field(default=())


# Each action has its own description and its owner's own account of the work (story), and the events
# that the leads, committees and reviews added to it (events), all dated in days before today.
DEMO_ACTIONS = [
    DemoAction(
        "WN-01", "Make sure safeguarding referrals are made and tracked within 24 hours", 1, (4,), R.REG_13,
        "owner", "exec_quality", -20, S.OFF_TRACK, 55,
        "Every safeguarding referral a crew makes is logged in one tracker, acknowledged by the safeguarding "
        "hub within 24 hours and followed up until the local authority confirms it has acted.",
        (
            "Mapped how referrals leave the vehicle today: four routes, two of them on paper.",
            "Chose the electronic patient record's referral form as the single route and briefed the safeguarding hub.",
            "Piloted the tracker in Gatwick and Thanet: 92% of referrals acknowledged within a day.",
            "The supplier's upgrade of the referral form has been delayed, so the trust-wide roll-out waits.",
            "Roll-out reset with the executive lead: two more operating units in the spring, the rest after the upgrade.",
        ),
        events=(
            Revise(90, 10, "The referral system upgrade was delayed by the supplier."),
            Revise(30, 40, "More safeguarding leads recruited; the training cohort moved to spring."),
        ),
    ),
    DemoAction(
        "WN-02", "Introduce a fit and proper persons test for every director appointment", 4, (3, 5), R.REG_19,
        "lead", "board", -120, S.COMPLETE, 100,
        "Before any director takes up post, and every year after, the trust checks and records that they meet "
        "the fit and proper persons requirement, and the board sees the register.",
        (
            "Drafted the fit and proper persons policy with the company secretary.",
            "Checked the files of all current directors: three needed updated disclosure checks.",
            "The board approved the policy and the annual declaration form.",
            "All directors' checks are complete and recorded; the register went to the board in public session.",
        ),
        last_days_ago=140, evidence="The fit and proper persons register and the board minute approving it",
        events=(Assure(130), Put(5, QGC, 14)),
    ),
    DemoAction(
        "WN-03", "Strengthen board oversight of the risk register and serious incidents", 1, (2, 4), R.REG_17,
        "owner2", "board", -60, S.COMPLETE, 100,
        "The board reviews the corporate risk register and every serious incident report each quarter, with "
        "a named executive answering for each high risk.",
        (
            "Agreed a new format for the board's risk report with the chair.",
            "Named an executive owner for each of the fourteen high risks.",
            "The first two quarterly reviews took place; non-executives asked for incident trends by operating unit.",
            "Incident trends by operating unit added; the third review ran to the new format. Evidence attached.",
        ),
        last_days_ago=65, evidence="Board papers and minutes of the three quarterly risk reviews",
    ),
    DemoAction(
        "WN-04", "Ensure enough trained call handlers on every 999 shift", 2, (1, 4), R.REG_18,
        "owner", "board", 25, S.AT_RISK, 60,
        "Every 999 shift in both Emergency Operations Centres is planned to the staffing level the demand "
        "model sets, with trained call handlers filling at least 95% of the planned hours.",
        (
            "Rebuilt the demand model with a year of call data, hour by hour.",
            "Recruited two cohorts of call handlers; the first finished training in the summer.",
            "Night shifts at Crawley are now filled to plan on most days.",
            "Winter sickness has pulled fill rates down again; bank shifts are offered a week earlier to cover it.",
        ),
    ),
    DemoAction(
        "WN-05", "Report safeguarding training compliance to the board every month", 1, (4,), R.REG_13,
        "owner2", "exec_quality", -240, S.COMPLETE, 100,
        "A monthly report to the board gives safeguarding training compliance by operating unit and by level, "
        "with the actions taken where a unit falls below 90%.",
        (
            "Agreed the measures with the named professional for safeguarding.",
            "Built the monthly report from the learning system, by unit and by level.",
            "The first three monthly reports went to the board; two units below 90% have recovery plans.",
        ),
        created_days_ago=420, last_days_ago=270,
        evidence="The first three monthly compliance reports and the board minutes noting them",
        events=(
            Assure(265), Put(257, EMB, -250), Decision(EMB, -250, "ratified", "EMB/24/112"),
            Sustain(150, "Six further monthly reports since ratification: every unit above 90% for three months"),
        ),
    ),
    DemoAction(
        "MD-01", "Complete mandatory safeguarding training for all patient-facing staff", 1, (4,), R.REG_13,
        "owner2", "exec_quality", -35, S.AT_RISK, 80,
        "All patient-facing staff complete safeguarding training at the level their role requires, and new "
        "starters complete it before their first shift.",
        (
            "Matched every patient-facing role to its safeguarding level.",
            "Booked level 3 sessions for paramedics at each operating unit.",
            "Compliance reached 74%; new starters now train in their induction week.",
            "Winter abstraction cancelled two sessions; compliance is 80% and a recovery plan is with the executive lead.",
        ),
        events=(
            Ask(15, 20, "Winter pressures on training."),
            Decide(14, False, "The CQC deadline stands: a recovery plan instead."),
        ),
    ),
    DemoAction(
        "MD-02", "Check medicines are stored, recorded and disposed of safely on every vehicle", 1, (4,), R.REG_12,
        "owner", "exec_quality", 40, S.ON_TRACK, 65,
        "Each vehicle's medicines are checked at the start of every shift against a standard list, with the "
        "check recorded and any discrepancy reported the same day.",
        (
            "Agreed one medicines checklist for every vehicle type with the pharmacy team.",
            "Tamper-evident medicine pouches introduced at four make-ready centres.",
            "Start-of-shift checks recorded electronically at half of the operating units.",
            "Discrepancy reports are now reviewed weekly by the pharmacy team; roll-out continues.",
        ),
    ),
    DemoAction(
        "MD-03", "Audit clinical records for completeness every month and act on the findings", 1, (4, 2), R.REG_17,
        "owner2", "exec_quality", -90, S.COMPLETE, 100,
        "A monthly audit samples patient care records from every operating unit, scores their completeness and "
        "feeds the results back to each clinician with what to improve.",
        (
            "Wrote the audit tool with the clinical audit team: twelve questions a record must answer.",
            "Trained forty clinical team leaders to run the audit.",
            "Six months of audits completed; completeness rose from 71% to 88%.",
            "Monthly audits are now routine in every unit, with feedback to each clinician.",
        ),
        last_days_ago=100, evidence="Six months of audit results and the feedback template",
        events=(Assure(95),),
    ),
    DemoAction(
        "MD-04", "Reduce the time patients wait for a clinical call-back from 111", 2, (4,), R.REG_12,
        "owner", "board", 75, S.ON_TRACK, 40,
        "Patients who need a call-back from a 111 clinician receive it within the time their assessment sets, "
        "with the longest waits reviewed every day.",
        (
            "Measured call-back waits by priority for a month to set the baseline.",
            "Added a daily review of the longest waits at the 111 huddle.",
            "Remote clinicians from two partner services now take overflow calls at weekends.",
        ),
    ),
    DemoAction(
        "MD-05", "Give every member of staff a yearly appraisal", 3, (1, 6), R.REG_18,
        "owner2", "exec_people", -10, S.OFF_TRACK, 35,
        "Every member of staff has an appraisal each year with their manager, recorded on the staff record, "
        "and managers are given time to hold them.",
        (
            "Simplified the appraisal form to two pages after a survey of managers.",
            "Trained managers in the new conversation; 40 sessions held.",
            "Appraisal rates stalled at 35% while rotas were reworked.",
            "The appraisal season is being moved to fit the new pay progression policy, so the plan is reset.",
        ),
        events=(Revise(20, 30, "Appraisal season moved to align with the new pay progression policy."),),
    ),
    DemoAction(
        "MD-06", "Ensure freedom to speak up guardians are available to all staff", 3, (6, 3), R.REG_17,
        "owner", "exec_people", -45, S.COMPLETE, 100,
        "Every member of staff, on any shift and at any site, can reach a freedom to speak up guardian or "
        "champion, in person or by phone, and knows how.",
        (
            "Recruited two more guardians and twenty champions across the operating units.",
            "Set up a confidential phone line answered outside office hours.",
            "Posters and a short film about speaking up shown at every station.",
            "Guardians are now reachable on every shift; the staff survey shows more staff know how to speak up.",
        ),
        last_days_ago=40, evidence="Guardian rota, champion list and the staff survey results",
    ),
    DemoAction(
        "MD-07", "Make sure vehicles and equipment are clean and infection risks controlled", 2, (4,), R.REG_15,
        "owner2", "board", 120, S.NOT_STARTED, 0,
        "Every vehicle is deep cleaned to a schedule, cleaning is audited each month, and equipment that cannot "
        "be cleaned is replaced.",
        (
            "Scoping with the infection prevention team: the deep-clean contract ends in the spring.",
            "The project lead starts next month; the audit tool is drafted.",
        ),
        created_days_ago=150, last_days_ago=20,
    ),
    DemoAction(
        "MD-08", "Respond to complaints within the agreed timescale and learn from them", 1, (4, 2), R.REG_16,
        "owner", "exec_quality", -5, S.ON_TRACK, 85,
        "Complainants receive a full response within 25 working days, and each month's complaints are reviewed "
        "for themes that change practice.",
        (
            "Cleared the backlog of 60 complaints older than the timescale.",
            "Each complaint now has a named investigator within two days.",
            "Monthly themes report shared with operating unit managers.",
            "Nine in ten responses now go out within 25 working days.",
        ),
    ),
    DemoAction(
        "MD-09", "Apply the duty of candour consistently after incidents that cause harm", 1, (4, 3), R.REG_20,
        "owner2", "exec_quality", 60, S.ON_TRACK, 50,
        "After any incident that causes moderate or greater harm, the patient or family is told, apologised to "
        "and kept informed, and this is recorded.",
        (
            "Checked a year of incidents: candour was recorded in 58% of those that needed it.",
            "Trained incident investigators in candour conversations.",
            "Candour is now a required step in the incident system before an investigation can close.",
        ),
        events=(Revise(40, 30, "Brought forward: the incident system change went live early, so the work ends sooner."),),
    ),
    DemoAction(
        "MD-10", "Publish a clear vision and strategy that staff understand", 4, (2,), R.REG_17,
        "lead", "board", -150, S.COMPLETE, 100,
        "The trust's strategy is explained in plain words to every member of staff, and the staff survey asks "
        "whether they understand it.",
        (
            "Wrote a one-page summary of the strategy with staff from four operating units.",
            "Executives presented the strategy at every operating unit.",
            "The staff survey's question on the trust's vision improved by eleven points.",
        ),
        last_days_ago=165, evidence="The strategy summary, presentation schedule and survey results",
        events=(Assure(160), Put(5, QGC, 14)),
    ),
    DemoAction(
        "MD-11", "Make sure medicines are managed safely at every make-ready centre", 1, (4,), R.REG_12,
        "owner", "exec_quality", -250, S.COMPLETE, 100,
        "Controlled drugs at every make-ready centre are stored in audited safes, checked twice daily and "
        "recorded in a register the pharmacy team inspects.",
        (
            "Installed audited safes at the three centres that lacked them.",
            "Twice-daily checks introduced, with the register moved online.",
            "Pharmacy inspections found no unexplained discrepancies for two months.",
        ),
        created_days_ago=420, last_days_ago=300, evidence="Pharmacy inspection reports for every make-ready centre",
        events=(
            Assure(295), Put(287, QGC, -280), Decision(QGC, -280, "ratified", "QGC/24/031"),
            Sustain(180, "Three months of audit results after ratification: compliance held above 95%"),
        ),
    ),
    DemoAction(
        "MD-12", "Answer NHS 111 calls within 60 seconds at peak times", 2, (4,), R.REG_12,
        "owner", "board", -40, S.COMPLETE, 100,
        "At the busiest hours, NHS 111 calls are answered within 60 seconds, with staffing planned to the "
        "Monday-morning and weekend peaks.",
        (
            "Rotas redrawn around the Monday-morning and weekend peaks.",
            "Recruited health advisers to fill the Saturday gap.",
            "Three months with 90% of peak-time calls answered within 60 seconds.",
        ),
        created_days_ago=420, last_days_ago=50, evidence="Three months of call answering figures by hour",
        events=(Assure(45), Put(37, QGC, -30), Decision(QGC, -30, "ratified", "QGC/25/014")),
    ),
    DemoAction(
        "MD-13", "Staff the Emergency Operations Centres with enough skilled people on every shift", 2, (1, 4), R.REG_18,
        "owner2", "board", -70, S.COMPLETE, 100,
        "Both Emergency Operations Centres are staffed to the planned levels on every shift, including nights, "
        "with dispatchers trained before they work alone.",
        (
            "Set planned staffing levels for each hour with the EOC managers.",
            "A dispatcher academy trains new starters in eight weeks.",
            "Day shifts have been staffed to plan for three months.",
        ),
        created_days_ago=420, last_days_ago=80, evidence="Three months of day-shift fill rates",
        events=(
            Assure(75), Put(67, EMB, -60),
            Decision(EMB, -60, "returned", "EMB/25/047",
                     "The evidence covers day shifts only: show night-shift fill rates for three months."),
            Put(5, QGC, 14),
        ),
    ),
    DemoAction(
        "MD-14", "Make sure risks escalate from operating units to the board", 4, (2,), R.REG_17,
        "owner2", "board", -10, S.COMPLETE, 100,
        "A risk raised at an operating unit reaches the right committee, and the board if it must, within a "
        "month, with its owner and score recorded at each step.",
        (
            "Mapped how a risk moves from a unit to the board: five steps, no deadlines.",
            "Agreed an escalation route with a deadline at each step.",
            "Every unit's risk register is now reviewed monthly by its governance lead.",
            "Traced twenty risks from unit to board: all escalated within a month.",
        ),
        created_days_ago=420, last_days_ago=12, evidence="The escalation audit of twenty risks",
        events=(Assure(7),),
    ),
    DemoAction(
        "SD-01", "Improve the handover of patients at emergency departments", 2, (4,), R.REG_12,
        "owner", "board", 60, S.AT_RISK, 30,
        "Crews hand patients over to emergency department staff within 30 minutes of arrival, with the worst "
        "delays escalated to the hospital's site manager.",
        (
            "Agreed handover standards with the four acute trusts with the longest delays.",
            "Hospital ambulance liaison officers placed at two emergency departments.",
            "Delays over an hour have risen again with winter demand; the acute trusts are asked for cohort areas.",
        ),
        events=(
            Ask(50, 90, "Two acute trusts rebuilt their emergency departments, so the cohort areas open later."),
            Decide(48, True),
        ),
    ),
    DemoAction(
        "SD-02", "Share learning from incidents with front-line crews every month", 1, (4, 5), R.REG_17,
        "owner2", "exec_quality", 15, S.ON_TRACK, 70,
        "Every month, front-line crews receive a short bulletin of what was learnt from incidents and how "
        "practice has changed, discussed at team briefings.",
        (
            "Launched a one-page learning bulletin with the patient safety team.",
            "Team leaders now discuss the bulletin at each briefing.",
            "Crews asked for case stories; the bulletin now carries one each month.",
        ),
    ),
    DemoAction(
        "SD-03", "Make sure staff have protected time for statutory and mandatory training", 3, (1,), R.REG_18,
        "owner", "exec_people", -25, S.OFF_TRACK, 20,
        "Rotas include protected time for statutory and mandatory training, which is not cancelled for "
        "operational pressure except in a declared incident.",
        (
            "Calculated the training hours each role needs a year.",
            "Trialled protected training days at one unit.",
            "Training days were cancelled for demand on five occasions; the approach does not hold.",
        ),
        last_days_ago=45,
    ),
    DemoAction(
        "SD-04", "Improve welfare facilities at make-ready centres", 3, (1,), R.REG_15,
        "owner2", "exec_people", 90, S.NOT_STARTED, 0,
        "Every make-ready centre has a clean rest area, hot food available on every shift and somewhere private "
        "to talk after a difficult job.",
        (
            "Surveyed staff at each make-ready centre about the facilities they lack.",
            "Estates are costing the works; the work starts when the capital budget is agreed.",
        ),
        created_days_ago=120, last_days_ago=25,
    ),
    DemoAction(
        "SD-05", "Review the end-of-shift overrun policy with staff side", 3, (1, 6), R.REG_18,
        "owner", "exec_people", 10, S.AT_RISK, 45,
        "A new policy, agreed with staff side, limits how often crews finish late and makes sure they are "
        "fed and rested when they do.",
        (
            "Measured overruns for three months: one shift in four ended late.",
            "Drafted a late-finish protection policy with the unions.",
            "Staff side asked for a longer consultation before the policy is agreed.",
        ),
        events=(Ask(3, 60, "Staff side asked for a longer consultation on the overrun policy."),),
    ),
    DemoAction(
        "SD-06", "Record patients' consent and mental capacity assessments consistently", 1, (4,), R.REG_11,
        "owner2", "exec_quality", -70, S.COMPLETE, 100,
        "The patient care record prompts crews to record consent and, where needed, a mental capacity "
        "assessment, and audits check they do.",
        (
            "Added consent and capacity prompts to the electronic patient record.",
            "Trained crews through a short online module.",
            "Audits show consent recorded on 96% of records.",
        ),
        last_days_ago=75, evidence="The audit of consent and capacity recording",
    ),
    DemoAction(
        "SD-07", "Involve patients and the public in designing urgent care pathways", 4, (2,), R.REG_9,
        "owner", "board", 150, S.ON_TRACK, 15,
        "Patients and carers sit on the groups that design urgent care pathways, with their involvement "
        "recorded and their suggestions answered.",
        (
            "Recruited eight patient partners through Healthwatch.",
            "The first pathway group met with two patient partners.",
        ),
        last_days_ago=9,
    ),
    DemoAction(
        "SD-08", "Treat patients with dignity during long waits outside hospitals", 2, (4, 6), R.REG_10,
        "owner2", "board", 45, S.ON_TRACK, 55,
        "Patients who wait in an ambulance outside a hospital are kept warm, fed, able to use a toilet and "
        "updated on how long they will wait.",
        (
            "Stocked every vehicle with blankets, water and snacks for long waits.",
            "Agreed access to hospital toilets for waiting patients at every site.",
            "Crews now give waiting patients an update every 30 minutes.",
        ),
    ),
    DemoAction(
        "SD-09", "Train every manager to tackle bullying and harassment", 3, (6, 1), R.REG_17,
        "owner", "exec_people", -190, S.COMPLETE, 100,
        "Every manager completes training in recognising and tackling bullying and harassment, and knows how "
        "to support a member of staff who reports it.",
        (
            "Commissioned the training with staff networks.",
            "Half of all managers trained by the autumn.",
            "Every manager has now completed the training.",
        ),
        created_days_ago=420, last_days_ago=200, evidence="Training records for every manager",
        events=(
            Assure(195), Put(187, EMB, -180), Decision(EMB, -180, "ratified", "EMB/24/139"),
            Reopen(
                20, S.AT_RISK, 80, "The staff survey showed reports of bullying rising again in two operating units.",
                due_in=80,
            ),
            Log(10, S.AT_RISK, 82, "Refresher sessions booked for managers in the two units; staff side co-facilitate."),
        ),
    ),
    DemoAction(
        "IJ-01", "Run listening events with the executive team at every operating unit", 3, (5, 3), "",
        "owner", "board", -30, S.COMPLETE, 100,
        "Members of the executive team visit every operating unit to listen to staff, and publish what they "
        "heard and what they will do about it.",
        (
            "Set a timetable so every operating unit has an executive visit in the year.",
            "Twelve listening events held; staff raised rest breaks and rotas most often.",
            "Published 'You said, we did' for every event held.",
        ),
        is_public=False, last_days_ago=40, evidence="Notes of every listening event and the published responses",
        events=(MakePublic(330), Assure(35)),
    ),
    DemoAction(
        "IJ-02", "Launch a leadership development programme for operational managers", 3, (3, 5), "",
        "owner2", "exec_people", 100, S.ON_TRACK, 35,
        "Operational managers join a year-long programme on leading people, with coaching and projects that "
        "improve their own units.",
        (
            "Designed the programme with an NHS leadership academy.",
            "The first cohort of 24 managers started.",
            "Each manager in the cohort has chosen an improvement project for their unit.",
        ),
        is_public=False, events=(MakePublic(330),),
    ),
    DemoAction(
        "IJ-03", "Set up a staff network for zero tolerance of bullying and harassment", 3, (6, 1), "",
        "owner", "exec_people", -15, S.AT_RISK, 70,
        "A staff network, led by staff, supports colleagues who experience bullying or harassment and tells the "
        "board what it hears.",
        (
            "Asked staff who would help lead a network; thirty volunteered.",
            "Agreed the network's terms of reference with the chief people officer.",
            "Staff side asked to co-design the network's launch, so it moves.",
        ),
        is_public=False, events=(MakePublic(320), Revise(20, 45, "The network's launch moved so staff side could co-design it.")),
    ),
    DemoAction(
        "IJ-04", "Build a quality improvement faculty and train 200 QI practitioners", 1, (4, 2), "",
        "owner2", "exec_quality", 180, S.ON_TRACK, 25,
        "A quality improvement faculty teaches improvement methods, trains 200 practitioners and supports "
        "their projects across the trust.",
        (
            "Appointed a head of quality improvement.",
            "The first 30 practitioners completed the foundation course.",
            "Practitioners' first projects are under way in four units.",
        ),
        is_public=False, events=(MakePublic(300),),
    ),
    DemoAction(
        "IJ-05", "Agree shared urgent care pathways with each Integrated Care System", 4, (2,), "",
        "owner", "board", 200, S.NOT_STARTED, 0,
        "With each Integrated Care System, the trust agrees where patients who call 999 or 111 can be cared for "
        "other than at an emergency department.",
        (
            "Listed the pathways each Integrated Care System already commissions.",
            "Waiting for the systems' urgent care boards to name their leads.",
        ),
        created_days_ago=100, last_days_ago=30, is_public=False, events=(MakePublic(60),),
    ),
    DemoAction(
        "IJ-06", "Publish monthly Improvement Journey updates to staff and the public", 4, (5, 2), "",
        "lead", "board", -100, S.COMPLETE, 100,
        "Each month the trust publishes an update on its Improvement Journey, with figures drawn from this "
        "tracker, for staff and the public.",
        (
            "Agreed the update's format with the communications team.",
            "The first three monthly updates were published on time.",
            "Updates now go out on the first working days of each month, their figures from the tracker.",
        ),
        last_days_ago=110, evidence="The first six published updates",
        events=(Assure(104),),
    ),
    DemoAction(
        "IJ-07", "Introduce a just and learning culture framework", 3, (6, 4), "",
        "owner2", "exec_people", 50, S.OFF_TRACK, 10,
        "When things go wrong, staff are treated fairly and the trust learns, following a framework agreed "
        "with staff and applied in every investigation.",
        (
            "Read how three other ambulance trusts introduced a just culture.",
            "The draft framework stalled when the investigations team lost two posts.",
            "The plan is being reset with the executive lead; no new date yet.",
        ),
        last_days_ago=45, is_public=False, events=(MakePublic(300),),
    ),
    DemoAction(
        "IJ-08", "Roll out clinical supervision for 111 clinical advisers", 2, (4, 1), "",
        "owner", "exec_quality", -3, S.COMPLETE, 100,
        "Every 111 clinical adviser has regular supervision with a senior clinician, who reviews their calls "
        "and agrees what to develop.",
        (
            "Trained twelve senior clinicians as supervisors.",
            "Supervision started for advisers on day shifts.",
            "Night-shift advisers joined; every adviser has had supervision this quarter.",
        ),
        last_days_ago=5, is_public=False, evidence="Supervision records for every 111 clinical adviser",
        events=(MakePublic(330),),
    ),
    DemoAction(
        "IJ-09", "Reduce sickness absence in the Emergency Operations Centres", 2, (1,), "",
        "owner2", "board", 130, S.AT_RISK, 25,
        "Sickness absence in the Emergency Operations Centres falls to the trust's target, through support for "
        "the main causes: stress and musculoskeletal problems.",
        (
            "Analysed a year of absence: stress and back problems cause most of it.",
            "Fast-track physiotherapy offered to EOC staff.",
            "Absence rose over the winter; a wellbeing lead for the centres is being recruited.",
        ),
        is_public=False, events=(MakePublic(250),),
    ),
    DemoAction(
        "IJ-10", "Agree estates and fleet plans with NHS England for the next three years", 4, (2,), "",
        "lead", "board", 210, S.NOT_STARTED, 0,
        "A three-year plan for the trust's buildings and vehicles, agreed with NHS England and funded.",
        ("The estates and fleet teams are gathering the condition surveys the plan needs.",),
        created_days_ago=90, last_days_ago=60, is_public=False,
    ),
    DemoAction(
        "IJ-11", "Review executive portfolios and publish who is accountable for what", 4, (3, 2), "",
        "owner", "board", 20, S.ON_TRACK, 75,
        "Each executive's portfolio is reviewed so that every service and risk has one accountable director, "
        "and the result is published.",
        (
            "Listed every service and risk with its current executive owner.",
            "Found six areas with two owners and three with none.",
            "The chief executive has agreed the new portfolios; publication follows the board.",
        ),
        is_public=False,
    ),
]  # fmt: skip

# --- Replaying the stories ------------------------------------------------------------------------

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
    finding, numbers, key_question, core_service = FINDINGS.get(item.reference, ("", [], "", ""))
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
        "cqc_finding": finding,
        "regulations": [replay.regulations[n] for n in numbers],
        "key_question": key_question,
        "core_service": core_service,
        "source": source_for(item.reference) if finding else "",
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
        # The public's own words (demo_highlights), never the narrative again.
        public_highlight=HIGHLIGHTS.get(item.reference, "") if highlight else "",
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


def _apply(replay: _Replay, item: DemoAction, event, at) -> None:
    lead = replay.users[_independent_lead(item)]
    if isinstance(event, Assure):
        action_assure(action=replay.action(item), lead=lead, at=at, notify=False)
    elif isinstance(event, Revise):
        due_date_revise(
            action=replay.action(item),
            lead=lead,
            new_date=replay.due(event.due_in_days),
            reason=event.reason,
            at=at,
            notify=False,
        )
    elif isinstance(event, Ask):
        replay.asked[item.reference] = due_date_revision_request(
            action=replay.action(item),
            requested_by=replay.users[item.owner],
            new_date=replay.due(event.due_in_days),
            reason=event.reason,
            at=at,
        )
    elif isinstance(event, Decide):
        due_date_revision_decide(
            revision=replay.asked.pop(item.reference),
            lead=lead,
            agree=event.agree,
            refusal_reason=event.refusal_reason,
            at=at,
            notify=False,
        )
    elif isinstance(event, Put):
        meeting = replay.meetings[(event.committee, event.meeting_day)]
        replay.put[(item.reference, event.committee, event.meeting_day)] = action_put_to_meeting(
            action=replay.action(item), meeting=meeting, lead=lead, at=at
        )
    elif isinstance(event, Decision):
        committee_decision_record(
            item=replay.put[(item.reference, event.committee, event.meeting_day)],
            lead=lead,
            decision=event.decision,
            minute_reference=event.minute,
            reason=event.reason,
            at=at,
            notify=False,
        )
    elif isinstance(event, Sustain):
        evidence_attach(
            action=replay.action(item),
            uploaded_by=replay.users[item.owner],
            kind=EvidenceKind.SUSTAINABILITY,
            description=event.evidence,
            uploaded_file=ContentFile(f"{item.reference}: {event.evidence}.\n".encode(), name="sustainability.txt"),
            at=at - datetime.timedelta(days=3),
        )
        action_review_sustainability(action=replay.action(item), lead=lead, at=at, notify=False)
    elif isinstance(event, Reopen):
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
    elif isinstance(event, Log):
        _log(replay, item, at, event.status, event.percent, event.narrative, highlight=False)
    elif isinstance(event, MakePublic):
        _make_public(replay, item, at)
    else:
        raise TypeError(f"Not a demo event: {event!r}")


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
