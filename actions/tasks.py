"""Background work for actions: telling owners and executive leads, by email, that their action changed."""

import logging
import smtplib
import uuid

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage

from actions.models import Action
from reports.notices import send_once

logger = logging.getLogger(__name__)


def _display_name(user) -> str:
    return user.get_full_name() or user.get_username()


# Retries only for what can succeed later: a mail server that is down or refused the connection.
@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=60,
    retry_backoff_max=15 * 60,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
    bind=True,
)
def action_change_notify(
    self, *, action_id: int, changes: list[list[str]], actor_id: int | None, also_notify_ids: list[int] = ()
) -> int:
    """Email the action's owner and executive lead (and anyone in `also_notify_ids`, such as the
    previous owner) that the action changed. `changes` is a list of [what, from, to] in words.

    The person who made the change is not told about it. Returns how many emails were sent.
    """
    action = Action.objects.select_related("owner", "executive_lead").filter(pk=action_id).first()
    if action is None:
        return 0
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    people = {action.owner.pk: action.owner, action.executive_lead.pk: action.executive_lead}
    for user in get_user_model().objects.filter(pk__in=list(also_notify_ids)):
        people.setdefault(user.pk, user)
    recipients = [user for pk, user in people.items() if pk != actor_id and user.is_active and user.email]
    if not recipients:
        return 0

    who = _display_name(actor) if actor else "Someone"
    lines = [f"{who} changed action {action.reference}, {action.title}:", ""]
    for what, old, new in changes:
        lines.append(f"- {what}: {old or '(none)'} → {new or '(none)'}" if old else f"- {what}: {new}")
    link = settings.SITE_URL.rstrip("/") + action.get_absolute_url()
    lines += ["", f"See the action: {link}", "", f"{settings.SERVICE_NAME}, {settings.TRUST_NAME}"]
    body = "\n".join(lines)
    subject = f"{action.reference}: " + ", ".join(what.lower() for what, _old, _new in changes) + " changed"

    # One message per person: colleagues need not see who else was told. Each is recorded as it is sent,
    # keyed by this task run, so a retry after a failure part-way tells only those not yet told.
    messages = [(user, EmailMessage(subject=subject, body=body, to=[user.email])) for user in recipients]
    sent = send_once(messages, notice=f"action-change:{action.pk}", period=self.request.id or uuid.uuid4().hex)
    logger.info("Told %d people that %s changed (%s)", sent, action.reference, subject)
    return sent
