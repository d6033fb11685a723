"""A file between its preview and its confirmation, for both imports (the action plan, the measures).

The person uploads, sees what would change, and confirms: the confirmation names the file's digest, so
a preview left open in another tab cannot be confirmed for a different file, and the file itself waits
here (actions.models.PendingUpload), never in the session.
"""

import datetime
import hashlib
from pathlib import PurePath

from django.db import transaction
from django.utils import timezone

from actions.models import PendingUpload, UploadKind

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
