"""Sign-in throttling (django-axes): nobody can lock a named colleague out, and guessing stays slow.

Failures are counted per username *and* address: five wrong passwords from one address lock that
username at that address only, so an attacker who knows the administrator's username cannot lock the
administrator out from elsewhere. Per username alone, a much higher limit (AXES_USERNAME_FAILURE_LIMIT)
stops a guessing attack spread over many addresses. Each lock lifts by itself, and each failure after
a lock lifts doubles the next one (15 minutes, 30, an hour... at most a day): increasing delays
rather than a hard lock.
"""

import datetime
import math

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.utils import timezone

MAX_COOL_OFF = datetime.timedelta(hours=24)
# Axes keeps usernames in 255-character columns; no account's name is longer than 150 (Django's), so
# whatever is typed is counted by its first 150 characters rather than failing the insert (a 500 on
# PostgreSQL, which refuses an over-long value where SQLite stores it).
USERNAME_CHARS = 150


def axes_username(request, credentials=None) -> str | None:
    """AXES_USERNAME_CALLABLE: the username a sign-in attempt names, at most USERNAME_CHARS long."""
    name = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if name is None and request is not None and request.method == "POST":
        name = request.POST.get(settings.AXES_USERNAME_FORM_FIELD)
    return None if name is None else str(name)[:USERNAME_CHARS]


def _username(request) -> str | None:
    return axes_username(request, getattr(request, "axes_credentials", None))


def progressive_cool_off(request=None) -> datetime.timedelta:
    """AXES_COOLOFF_TIME: the base cool-off, doubled for each earlier lock of this username at this
    address in the last day (read from axes' failure log, which outlives the attempts it clears).
    """
    # Imported here: settings name this function (AXES_COOLOFF_TIME), so this module may be imported
    # before the apps are ready, when axes' models cannot be.
    from axes.models import AccessFailureLog

    base = datetime.timedelta(minutes=settings.AXES_COOLOFF_MINUTES)
    address = getattr(request, "axes_ip_address", None)
    username = _username(request) if request is not None else None
    if not address or not username:
        return base
    locks = AccessFailureLog.objects.filter(
        username=username,
        ip_address=address,
        locked_out=True,
        attempt_time__gte=timezone.now() - datetime.timedelta(hours=24),
    ).count()
    return min(base * (2 ** min(max(locks - 1, 0), 10)), MAX_COOL_OFF)


class PerAddressHandler(AxesDatabaseHandler):
    """AXES_LOCKOUT_PARAMETERS is [["username", "ip_address"], "username"]; axes would apply one limit
    to both. Here the username-alone count is scaled so that it reaches AXES_FAILURE_LIMIT only at
    AXES_USERNAME_FAILURE_LIMIT failures.
    """

    def get_failures(self, request, credentials=None) -> int:
        by_pair, by_username = (
            attempts.values_list("failures_since_start", flat=True)
            for attempts in self.get_user_attempts(request, credentials)
        )
        pair = sum(by_pair)
        username = sum(by_username)
        scaled = math.floor(username * settings.AXES_FAILURE_LIMIT / settings.AXES_USERNAME_FAILURE_LIMIT)
        return max(pair, scaled)
