"""Demo only: what each public demo action's latest entry tells the public, in the trust's own words.

The owner's narrative is written for colleagues; the public highlight is written for the people the trust
serves, so it is said differently and never repeats the narrative (issue 27: the same sentence three times
on one action's page). An action without a highlight here logs none.
"""

HIGHLIGHTS = {
    "WN-01": "Safeguarding referrals from two of our areas are now tracked from the ambulance until the council acts; the rest of the Trust follows next year.",
    "WN-02": "Every one of our directors has passed the fit and proper persons checks, and the board has seen the register in public.",
    "WN-03": "Our board now looks at every serious incident and the biggest risks each quarter, with a named director answering for each.",
    "WN-04": "We have trained two new groups of 999 call handlers; this winter we are offering extra shifts earlier to cover sickness.",
    "WN-05": "Our board sees each month how many staff are trained in safeguarding, area by area.",
    "MD-01": "Eight in ten of our patient-facing staff have completed safeguarding training, and new starters now do it in their first week.",
    "MD-02": "Medicines on our ambulances are now checked at the start of every shift in half of our areas.",
    "MD-03": "Every month we check a sample of patient records in every area and tell each clinician what to improve.",
    "MD-04": "Clinicians from partner services now help call back 111 patients at weekends, so fewer wait long.",
    "MD-05": "We are changing when appraisals happen so that they fit the new pay arrangements; fewer staff than we want have had one so far.",
    "MD-06": "Staff on any shift can now reach a freedom to speak up guardian, and more of them say they know how.",
    "MD-07": "We are planning a new cleaning programme for our vehicles with our infection prevention team.",
    "MD-08": "Nearly everyone who complains to us now gets a full reply within five weeks.",
    "MD-09": "When one of our patients is harmed, telling them and saying sorry is now a step that every investigation must record.",
    "MD-10": "More of our staff say they understand where the Trust is heading, after every area heard the strategy from our executives.",
    "MD-11": "Controlled drugs at every one of our make-ready centres are now kept in audited safes and checked twice a day.",
    "MD-12": "At our busiest times, nine in ten NHS 111 calls have been answered within a minute for three months running.",
    "MD-13": "Our Emergency Operations Centres have had enough skilled staff on every day shift for three months.",
    "MD-14": "Risks raised in our local areas now reach the board within a month.",
    "SD-01": "Patients are waiting longer outside emergency departments this winter; we are asking hospitals for more space to hand them over.",
    "SD-02": "Our crews now get a real case to learn from each month.",
    "SD-03": "We have not yet found a way to protect our staff's training time on busy days, and are looking again.",
    "SD-04": "We are costing better rest and welfare areas for staff at our make-ready centres.",
    "SD-05": "We are taking more time to agree with staff representatives how late finishes are handled.",
    "SD-06": "Our crews now record a patient's consent on almost every record.",
    "SD-07": "Patients are helping us design how urgent care works in their area.",
    "SD-08": "Patients waiting with our crews outside hospitals are now told what is happening every half hour.",
    "SD-09": "All of our managers have been trained to deal with bullying and harassment.",
    "IJ-01": "After every listening event with our executives, we publish what staff told us and what we did about it.",
    "IJ-02": "Our operational managers on the leadership programme are each leading an improvement in their own area.",
    "IJ-03": "Our staff network against bullying and harassment will launch later, so that staff can shape it.",
    "IJ-04": "Staff we have trained in quality improvement are now leading their first projects.",
    "IJ-05": "We are waiting for our local health systems to name who will plan urgent care with us.",
    "IJ-06": "We publish an update on our improvement programme early each month.",
    "IJ-07": "Our plan for treating staff fairly when things go wrong has stalled, and we are setting a new one.",
    "IJ-08": "Every NHS 111 clinical adviser, day and night, now has regular support from a senior clinician.",
    "IJ-09": "Sickness in our Emergency Operations Centres rose over the winter; we are appointing someone to lead on staff wellbeing there.",
}  # fmt: skip
