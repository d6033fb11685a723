"""An e-mail backend that drops the connection at the Nth message it is asked to send, once."""

from smtplib import SMTPServerDisconnected

from django.core.mail.backends.locmem import EmailBackend


class FailsOnce(EmailBackend):
    fail_at: int | None = None  # the message (counted from 1, across connections) that fails
    seen = 0

    @classmethod
    def reset(cls, fail_at: int | None) -> None:
        cls.fail_at, cls.seen = fail_at, 0

    def send_messages(self, messages):
        sent = 0
        for message in messages:
            FailsOnce.seen += 1
            if FailsOnce.seen == FailsOnce.fail_at:
                raise SMTPServerDisconnected("Connection unexpectedly closed")
            sent += super().send_messages([message])
        return sent
