"""The demo's improvement-journey actions: each its description, its owner's account and its events."""

from actions.choices import Status
from actions.demo.events import Assure, DemoAction, MakePublic, Revise
from actions.models import CqcRegulation

S = Status
R = CqcRegulation


STORIES = [
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
        "IJ-06", "Publish monthly progress updates to staff and the public", 4, (5, 2), "",
        "lead", "board", -100, S.COMPLETE, 100,
        "Each month the trust publishes an update on its improvement programme, with figures drawn from this "
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
