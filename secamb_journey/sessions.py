"""The idle timeout, renewed at most once a minute rather than written on every request.

A session ends SESSION_COOKIE_AGE (30 minutes) after the person's last request. Django's
SESSION_SAVE_EVERY_REQUEST gives that by writing the session row on every request: on PostgreSQL an
UPDATE and a commit (a WAL flush) for every page a member of staff opens, which is most of what a page
costs the database once its figures are cached (issue 15). Renewing the expiry only when the last
renewal is a minute old gives the same rule to within a minute (a session idle for 29-30 minutes ends)
for one write a minute per active person.
"""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

# When the expiry was last pushed on, in the session itself (the row's expire_date is not read back).
RENEWED_AT_SESSION_KEY = "_idle_renewed_at"


class IdleTimeoutMiddleware:
    """Right after SessionMiddleware, so that its response phase runs before the session is saved."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = request.session
        # A changed session is saved (and its expiry renewed) anyway; a session nobody is signed in to is
        # never created or renewed here.
        if session.modified or not session.get(SESSION_KEY):
            return response
        now = time.time()
        if now - session.get(RENEWED_AT_SESSION_KEY, 0) >= settings.SESSION_RENEW_SECONDS:
            session[RENEWED_AT_SESSION_KEY] = now
        return response


@receiver(user_logged_in, dispatch_uid="secamb-idle-timeout-renewed-at-sign-in")
def _renewed_at_sign_in(sender, request, user, **kwargs):
    """Signing in saves the session with a fresh expiry: the minute counts from there."""
    if request is not None and hasattr(request, "session"):
        request.session[RENEWED_AT_SESSION_KEY] = time.time()
