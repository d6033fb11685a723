"""The actions app's choices: an action's type and status, and the groups of statuses the rules use."""

from django.db import models


class ActionType(models.TextChoices):
    WARNING_NOTICE = "warning_notice", "CQC warning notice"
    MUST_DO = "must_do", "CQC must-do"
    SHOULD_DO = "should_do", "CQC should-do"
    IMPROVEMENT = "improvement", "Trust improvement action"

    @property
    def prefix(self) -> str:
        return REFERENCE_PREFIXES[self]


REFERENCE_PREFIXES = {
    ActionType.WARNING_NOTICE: "WN",
    ActionType.MUST_DO: "MD",
    ActionType.SHOULD_DO: "SD",
    ActionType.IMPROVEMENT: "IJ",
}
CQC_TYPES = (ActionType.WARNING_NOTICE, ActionType.MUST_DO, ActionType.SHOULD_DO)


class Status(models.TextChoices):
    """The BRAG scale. "Overdue" is derived from the due date, never stored."""

    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETE = "complete", "Complete, awaiting assurance"
    ASSURED = "assured", "Assured"
    # Blue: the change has lasted, shown by sustainability evidence reviewed after ratification.
    EMBEDDED = "embedded", "Embedded"

    @property
    def tag_colour(self) -> str:
        """The NHS.UK tag modifier: always shown with the status's words, never colour alone."""
        return STATUS_TAG_COLOURS[self]

    @property
    def brag(self) -> str:
        return STATUS_BRAG[self]


STATUS_TAG_COLOURS = {
    Status.NOT_STARTED: "grey",
    Status.ON_TRACK: "green",
    Status.AT_RISK: "orange",
    Status.OFF_TRACK: "red",
    Status.COMPLETE: "aqua-green",
    Status.ASSURED: "purple",
    Status.EMBEDDED: "blue",
}
STATUS_BRAG = {
    Status.NOT_STARTED: "Grey",
    Status.ON_TRACK: "Green",
    Status.AT_RISK: "Amber",
    Status.OFF_TRACK: "Red",
    Status.COMPLETE: "Green",
    Status.ASSURED: "Green",
    Status.EMBEDDED: "Blue",
}
# Complete, assured or embedded: the action's work is done. Overdue never applies to these.
DONE_STATUSES = (Status.COMPLETE, Status.ASSURED, Status.EMBEDDED)
# Signed off by a lead: the record is closed until a lead reopens it.
SIGNED_OFF_STATUSES = (Status.ASSURED, Status.EMBEDDED)
OPEN_STATUSES = tuple(s for s in Status if s not in DONE_STATUSES)
