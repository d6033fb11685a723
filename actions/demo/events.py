"""The events a demo action's story may hold, and the story itself (read from actions/demo/stories.toml)."""

from dataclasses import dataclass, field

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
    # A CQC action's finding: its words, the regulations (numbers), key question and core service.
    finding: str = ""
    regulations: tuple[str, ...] = ()
    key_question: str = ""
    core_service: str = ""
    highlight: str = ""  # the public highlight of the owner's last planned entry
