"""The words page (/words/): every term the public pages use, in plain words, each under an id the
pages link to (/words/#process-limits). Keep the ids when rewording; add a term when a page uses one.
"""

# (section id, heading, [(term id, term, meaning), ...])
GLOSSARY = [
    (
        "actions",
        "Our actions and their progress",
        [
            (
                "action-plan",
                "Action plan",
                "The list of things we have promised to do to improve, each with a person responsible for it and a date it is due.",
            ),
            (
                "warning-notice",
                "Warning notice",
                "A formal notice from the CQC telling us that something must improve by a set date. It is the most serious kind of finding.",
            ),
            ("must-do", "Must-do action", "Something the CQC said we must do to meet the law."),
            (
                "should-do",
                "Should-do action",
                "Something the CQC said we should do to improve, though the law does not require it.",
            ),
            ("pillar", "Pillar", "One of the four main areas our improvement work is grouped into."),
            (
                "status",
                "Status colours",
                "Each action has a status in words and a colour: grey, not started; green, on track, complete or assured; amber, at risk; red, off track; blue, embedded.",
            ),
            (
                "assured",
                "Assured",
                "Someone who was not responsible for the work has checked the evidence that it is done.",
            ),
            (
                "embedded",
                "Embedded (blue)",
                "Months after the work was done and checked, fresh evidence shows the change has lasted. This is the last step.",
            ),
            ("overdue", "Overdue", "The date the work was due has passed and it is not done."),
            (
                "slipped",
                "Slipped",
                "The action's due date has been moved later than the date first agreed. We show both dates.",
            ),
            (
                "reopened",
                "Reopened",
                "An action we had counted as done that we found needed more work, so it is open again.",
            ),
        ],
    ),
    (
        "measures",
        "Our performance measures",
        [
            (
                "spc",
                "SPC chart (statistical process control)",
                'A line chart of a measure over time, with lines that show how much it usually goes up and down. It helps tell a real change from the normal ups and downs. The NHS calls this way of reading figures "Making Data Count".',
            ),
            ("mean", "Mean", "The average of the values: the solid line across the chart."),
            (
                "process-limits",
                "Process limits",
                "The dashed lines above and below the mean. Nearly all values fall between them when nothing has changed. They are worked out from the values themselves; they are not targets.",
            ),
            (
                "common-cause",
                "Common-cause variation",
                "The normal ups and downs of a measure from month to month. Nothing has really changed.",
            ),
            (
                "special-cause",
                "Special-cause variation",
                "A change too big or too steady to be chance: for example a value outside the process limits, or several values in a row on one side of the mean. It can be an improvement or a concern.",
            ),
            (
                "recalculated",
                "Limits recalculated",
                "After a lasting change, the mean and process limits are worked out again from the newer values. The chart marks where.",
            ),
            (
                "provisional",
                "Provisional limits",
                "There are fewer than 12 values since the limits were last worked out, so they may still move.",
            ),
            (
                "assurance",
                "Assurance",
                "Whether we can expect to meet the target: always, never without a change, or only sometimes. It compares the target with the process limits.",
            ),
            ("target", "Target", "The value we are aiming for: the dotted line on the chart."),
            (
                "exit-criterion",
                "Exit criterion",
                "One of the measures we must meet, and keep meeting, before the NHS agrees we no longer need extra support.",
            ),
            (
                "90th-centile",
                "90th centile",
                "Nine in ten patients waited this long or less. It shows how long the longer waits are, not just the average.",
            ),
            (
                "illustrative",
                "Illustrative figures",
                "Made-up values that show how a measure is read. They are not our performance.",
            ),
        ],
    ),
]
