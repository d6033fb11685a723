"""The demo's CQC must-do actions: each its description, its owner's account and its events."""

from actions.choices import Status
from actions.demo.events import Ask, Assure, Decide, Decision, DemoAction, Put, Revise, Sustain
from actions.demo.governance import EMB, QGC
from actions.models import CqcRegulation

S = Status
R = CqcRegulation


STORIES = [
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
]  # fmt: skip
