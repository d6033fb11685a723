"""One-time enrolment codes for the second factor: issued by an administrator, stored hashed, single
use, expiring. A lead or administrator who has no authenticator app yet needs one to set it up (when
the second factor is required of them), so whoever has only their password cannot enrol an app and own
the account. A sign-in through the identity provider needs none: its own second factor stands in.
"""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from secamb_journey.models import EnrolmentCode

# Unambiguous when read out over the phone: no 0/O, 1/I/L.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # about 59 bits: not guessable within MAX_FAILED_ATTEMPTS
MAX_FAILED_ATTEMPTS = 5
SESSION_KEY = "secamb_enrolment_code_accepted"


def _normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").upper()


def enrolment_code_issue(*, user, issued_by, valid_for: datetime.timedelta | None = None, now=None) -> tuple:
    """A new code for `user` (any earlier unused one is revoked): (the record, the code to tell them).
    The code itself is returned once and never stored.
    """
    if not (issued_by.is_superuser or issued_by.has_perm("secamb_journey.add_enrolmentcode")):
        raise PermissionDenied("Only an administrator can issue an enrolment code.")
    now = now or timezone.now()
    valid_for = valid_for or datetime.timedelta(hours=settings.ENROLMENT_CODE_HOURS)
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    with transaction.atomic():
        EnrolmentCode.objects.filter(user=user, used_at=None, revoked_at=None).update(revoked_at=now)
        record = EnrolmentCode.objects.create(
            user=user,
            code_hash=make_password(code),
            issued_by=issued_by,
            created_at=now,
            expires_at=now + valid_for,
        )
    return record, f"{code[:4]}-{code[4:8]}-{code[8:]}"


def enrolment_code_redeem(*, user, code: str, now=None) -> bool:
    """Use `user`'s current code if `code` is it: True once, then never again. After MAX_FAILED_ATTEMPTS
    wrong codes the current one is revoked, and an administrator must issue a new one.
    """
    now = now or timezone.now()
    with transaction.atomic():
        record = (
            EnrolmentCode.objects.select_for_update()
            .filter(user=user, used_at=None, revoked_at=None, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        if record is None:
            return False
        if check_password(_normalise(code), record.code_hash):
            record.used_at = now
            record.save(update_fields=["used_at"])
            return True
        record.failed_attempts += 1
        if record.failed_attempts >= MAX_FAILED_ATTEMPTS:
            record.revoked_at = now
        record.save(update_fields=["failed_attempts", "revoked_at"])
        return False
