"""Background work for actions: telling owners and executive leads, by email, that their action changed.

Each change leaves a ChangeNotice (the outbox), written with the change itself. `send_change_notice`
sends one at once after the commit; `send_unsent_change_notices`, every minute from the beat schedule,
sends any that are still waiting: the broker was down when the change was saved, or the mail server
when the first run tried. Neither sends a notice another run holds, nor tells a person twice.
"""

import datetime
import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from actions.models import ChangeNotice
from secamb_journey.profile import trust_profile

logger = logging.getLogger(__name__)

# The periodic run leaves a notice this young to the run queued after its commit.
FAST_PATH_GRACE = datetime.timedelta(seconds=10)
# How long a run holds a notice: longer than any task may run (hard limits 90 s and 300 s), so a live
# run never loses its claim, and a run that died lets go within one.
CLAIM_LEASE = datetime.timedelta(minutes=10)
# Sent notices kept this long for the admin, then cleared: the change itself stays in the action's history.
SENT_KEPT = datetime.timedelta(days=30)
# At most this many notices per periodic run; the rest wait a minute.
BATCH = 200


def _display_name(user) -> str:
    return user.get_full_name() or user.get_username()


def _claimable(now: datetime.datetime) -> Q:
    return Q(sent_at__isnull=True) & (Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))


def _messages(notice: ChangeNotice) -> list[tuple[object, EmailMessage]]:
    """One message per person to tell: colleagues need not see who else was told. The person who made
    the change is not told about it."""
    action = notice.action
    people = {action.owner.pk: action.owner, action.executive_lead.pk: action.executive_lead}
    for user in get_user_model().objects.filter(pk__in=list(notice.also_notify)):
        people.setdefault(user.pk, user)
    recipients = [user for pk, user in people.items() if pk != notice.actor_id and user.is_active and user.email]
    if not recipients:
        return []
    who = _display_name(notice.actor) if notice.actor else "Someone"
    lines = [f"{who} changed action {action.reference}, {action.title}:", ""]
    for what, old, new in notice.changes:
        lines.append(f"- {what}: {old or '(none)'} → {new or '(none)'}" if old else f"- {what}: {new}")
    link = settings.SITE_URL.rstrip("/") + action.get_absolute_url()
    trust = trust_profile()
    lines += ["", f"See the action: {link}", "", f"{trust.service_name}, {trust.full_name}"]
    body = "\n".join(lines)
    subject = f"{action.reference}: " + ", ".join(what.lower() for what, _old, _new in notice.changes) + " changed"
    return [(user, EmailMessage(subject=subject, body=body, to=[user.email])) for user in recipients]


def _send_to_each_once(notice: ChangeNotice, messages: list[tuple[object, EmailMessage]]) -> int:
    """Send each person's message unless the notice records them as sent it; how many were sent.

    Each person is recorded in the same transaction as their message is sent (under the notice's row
    lock), so a failure later in the batch keeps the record of those already told.
    """
    sent = 0
    with get_connection(fail_silently=False) as connection:
        for person, message in messages:
            with transaction.atomic():
                current = ChangeNotice.objects.select_for_update().only("sent_to").get(pk=notice.pk)
                if person.pk in current.sent_to:
                    continue
                current.sent_to = [*current.sent_to, person.pk]
                current.save(update_fields=["sent_to"])
                message.connection = connection
                message.send()
            sent += 1
    return sent


def change_notice_send(*, notice_id: int) -> int:
    """Send one change notice unless it is sent or another run holds it; how many people this run told.

    A failure (the mail server down, say) is recorded on the notice, which waits for the periodic run.
    Call it outside any transaction: each person's message commits with its record.
    """
    now = timezone.now()
    claimed = ChangeNotice.objects.filter(_claimable(now), pk=notice_id).update(
        claimed_until=now + CLAIM_LEASE, attempts=F("attempts") + 1
    )
    if not claimed:
        return 0
    notice = ChangeNotice.objects.select_related("action__owner", "action__executive_lead", "actor").get(pk=notice_id)
    try:
        sent = _send_to_each_once(notice, _messages(notice))
    except SoftTimeLimitExceeded:
        ChangeNotice.objects.filter(pk=notice_id).update(claimed_until=None, last_error="Out of time; to try again")
        raise
    except Exception as error:
        # Whatever failed (the mail server, most often), the notice waits for the next run and says why.
        ChangeNotice.objects.filter(pk=notice_id).update(
            claimed_until=None, last_error=f"{timezone.now():%Y-%m-%d %H:%M:%S}: {type(error).__name__}: {error}"
        )
        logger.warning(
            "Could not send change notice %s for %s (attempt %s); the periodic run tries again: %s",
            notice_id,
            notice.action.reference,
            notice.attempts + 1,
            error,
        )
        return 0
    ChangeNotice.objects.filter(pk=notice_id).update(sent_at=timezone.now(), claimed_until=None, last_error="")
    logger.info("Told %d people that %s changed (notice %s)", sent, notice.action.reference, notice_id)
    return sent


def change_notices_send_unsent(*, now: datetime.datetime | None = None) -> int:
    """Send every change notice still waiting (older than FAST_PATH_GRACE), each once; clear those sent
    more than SENT_KEPT ago. How many people were told."""
    now = now or timezone.now()
    waiting = list(
        ChangeNotice.objects.filter(_claimable(now), created_at__lte=now - FAST_PATH_GRACE)
        .order_by("attempts", "created_at")
        .values_list("pk", flat=True)[:BATCH]
    )
    told = sum(change_notice_send(notice_id=pk) for pk in waiting)
    ChangeNotice.objects.filter(sent_at__lt=now - SENT_KEPT).delete()
    return told


@shared_task(soft_time_limit=60, time_limit=90)
def send_change_notice(*, notice_id: int) -> int:
    """Send one change notice, queued once the change that wrote it is committed."""
    return change_notice_send(notice_id=notice_id)


@shared_task(soft_time_limit=240, time_limit=300)
def send_unsent_change_notices() -> int:
    """Every minute (beat): send the change notices still waiting."""
    return change_notices_send_unsent()
