"""The actions app's models, one module per feature; importing them here registers them with Django.

The derived states (open, overdue, stale...) are in actions.models.states and the choices in
actions.choices: import them from there.
"""

from actions.models.action import Action, CoreService, CqcRegulation, KeyQuestion
from actions.models.evidence import (
    Evidence,
    EvidenceKind,
    HeldEvidence,
    PendingUpload,
    UploadKind,
    evidence_upload_to,
    held_evidence_upload_to,
)
from actions.models.figures import FiguresGeneration
from actions.models.governance import (
    ActionReopening,
    Committee,
    CommitteeDecision,
    Decision,
    DueDateRevision,
    Meeting,
    RedactedField,
    Redaction,
    Regulation,
    RevisionState,
)
from actions.models.notices import ChangeNotice
from actions.models.progress import EntryKind, ProgressUpdate

__all__ = [
    "Action",
    "ActionReopening",
    "ChangeNotice",
    "Committee",
    "CommitteeDecision",
    "CoreService",
    "CqcRegulation",
    "Decision",
    "DueDateRevision",
    "EntryKind",
    "Evidence",
    "EvidenceKind",
    "FiguresGeneration",
    "HeldEvidence",
    "KeyQuestion",
    "Meeting",
    "PendingUpload",
    "ProgressUpdate",
    "RedactedField",
    "Redaction",
    "Regulation",
    "RevisionState",
    "UploadKind",
    "evidence_upload_to",
    "held_evidence_upload_to",
]
