"""The demo's CQC warning-notice actions: each its description, its owner's account and its events."""

from actions.choices import Status
from actions.demo.events import Assure, Decision, DemoAction, Put, Revise, Sustain
from actions.demo.governance import EMB, QGC
from actions.models import CqcRegulation

S = Status
R = CqcRegulation


STORIES = [
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
]  # fmt: skip
