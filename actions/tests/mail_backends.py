"""E-mail backends for the outbox's tests: a mail server that is down, and a second run of the outbox
that starts while the first is part-way through sending."""

from smtplib import SMTPConnectError

from django.core.mail.backends.locmem import EmailBackend

from actions.tasks import change_notices_send_unsent


class MailServerDown(EmailBackend):
    """Every message refused, as by a mail server that is not answering."""

    def send_messages(self, messages):
        raise SMTPConnectError(421, "Service not available")


class AnotherRunStartsMidSend(EmailBackend):
    """At the first message, before it goes, another periodic run of the outbox starts and runs to the
    end: what two workers running the task at the same moment do, in one process and in a set order."""

    at = None  # the time the other run thinks it is
    other_run_told: int | None = None

    @classmethod
    def reset(cls, *, at) -> None:
        cls.at, cls.other_run_told = at, None

    def send_messages(self, messages):
        if AnotherRunStartsMidSend.other_run_told is None:
            AnotherRunStartsMidSend.other_run_told = 0  # before the run, so its own messages do not start a third
            AnotherRunStartsMidSend.other_run_told = change_notices_send_unsent(now=AnotherRunStartsMidSend.at)
        return super().send_messages(messages)
