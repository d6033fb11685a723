"""E-mail notices sent at most once per person and occasion, however often the task sending them runs.

Celery retries a task that failed part-way through (a mail server that dropped the connection after
the third message, say). Without a record of who was sent what, the retry sends everything again, and
the first three people get it twice (or five times). `send_once` claims each (person, notice, period)
in reports.NoticeSent and sends that person's message in the same transaction: sent and recorded
together, or neither.
"""

import logging

from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction

from reports.models import NoticeSent

logger = logging.getLogger(__name__)


def send_once(messages: list[tuple[object, EmailMessage]], *, notice: str, period: str) -> int:
    """Send each (person, message) unless that person already has `notice` for `period`; how many were sent.

    Call it outside any transaction of the caller's: each claim has to commit with its message, so a
    failure later in the batch (raised, for the task's retry) keeps the record of those already sent.
    """
    sent = 0
    with get_connection(fail_silently=False) as connection:
        for person, message in messages:
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        NoticeSent.objects.create(recipient=person, notice=notice, period=period)
                except IntegrityError:
                    logger.info("Not sending %s (%s) to %s again", notice, period, person.pk)
                    continue
                message.connection = connection
                message.send()
            sent += 1
    return sent
