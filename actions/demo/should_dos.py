"""The demo's CQC should-do actions: each its description, its owner's account and its events."""

from actions.choices import Status
from actions.demo.events import Ask, Assure, Decide, Decision, DemoAction, Log, Put, Reopen
from actions.demo.governance import EMB
from actions.models import CqcRegulation

S = Status
R = CqcRegulation


STORIES = [
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
]  # fmt: skip
