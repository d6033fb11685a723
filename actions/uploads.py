"""Files kept between two requests: an import between its preview and its confirmation (the action
plan, the measures), and an evidence file chosen on a form that came back with an error.

The person uploads, sees what would change, and confirms: the confirmation names the file's digest, so
a preview left open in another tab cannot be confirmed for a different file, and the file itself waits
here (actions.models.PendingUpload), never in the session.
"""

import datetime
import hashlib
import uuid
from pathlib import PurePath

from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from actions.models import Action, HeldEvidence, PendingUpload, UploadKind
from actions.services.progress import evidence_file_kind

UPLOAD_KEPT_FOR = datetime.timedelta(hours=1)


def upload_keep(*, kind: UploadKind, user, name: str, content: bytes) -> PendingUpload:
    """Keep a previewed file until its confirmation. Expired uploads (anyone's) and this person's earlier
    ones of the same kind go: a person confirms the preview they are looking at, or uploads again.
    """
    with transaction.atomic():
        PendingUpload.objects.filter(uploaded_at__lt=timezone.now() - UPLOAD_KEPT_FOR).delete()
        PendingUpload.objects.filter(uploaded_by=user, kind=kind).delete()
        return PendingUpload.objects.create(
            kind=kind,
            uploaded_by=user,
            name=PurePath(name).name[:255],
            sha256=hashlib.sha256(content).hexdigest(),
            content=content,
        )


def upload_for(*, kind: UploadKind, user, sha256: str, lock: bool = False) -> PendingUpload | None:
    """This person's unexpired upload of this kind with this digest, or None (expired, someone else's,
    another kind, or never made). `lock`: held until the caller's transaction ends (a confirmation
    pressed twice waits for the first, then finds the upload gone)."""
    uploads = PendingUpload.objects.select_for_update() if lock else PendingUpload.objects
    return (
        uploads.filter(kind=kind, uploaded_by=user, sha256=sha256, uploaded_at__gte=timezone.now() - UPLOAD_KEPT_FOR)
        .order_by("-uploaded_at")
        .first()
    )


# --- Evidence held for a form sent again -----------------------------------------------------------

HELD_EVIDENCE_KEPT_FOR = datetime.timedelta(hours=24)


def evidence_hold(*, action: Action, user, uploaded_file) -> HeldEvidence:
    """Keep a chosen evidence file for this person on this action while they correct the form it came
    with: the same checks as attaching it (ValidationError if refused). Their earlier held file for this
    action, and anyone's expired ones, go (file and row).
    """
    evidence_file_kind(uploaded_file)
    cutoff = timezone.now() - HELD_EVIDENCE_KEPT_FOR
    for stale in HeldEvidence.objects.filter(Q(uploaded_at__lt=cutoff) | Q(uploaded_by=user, action=action)):
        evidence_held_discard(stale)
    held = HeldEvidence(action=action, uploaded_by=user, name=PurePath(uploaded_file.name).name[:255])
    held.file.save(uploaded_file.name, uploaded_file, save=False)
    held.save()
    return held


def evidence_held(*, action: Action, user, held_id: str) -> HeldEvidence | None:
    """This person's unexpired held file on this action with this id, or None (anyone else's, another
    action's, expired, or not a held file at all)."""
    try:
        held_id = uuid.UUID(str(held_id))
    except ValueError:
        return None
    cutoff = timezone.now() - HELD_EVIDENCE_KEPT_FOR
    return HeldEvidence.objects.filter(id=held_id, action=action, uploaded_by=user, uploaded_at__gte=cutoff).first()


def evidence_held_file(held: HeldEvidence) -> File:
    """The held file, opened, under the name its owner chose: what a form's upload would have given."""
    return File(held.file.open("rb"), name=held.name)


def evidence_held_discard(held: HeldEvidence) -> None:
    held.file.delete(save=False)
    held.delete()
