"""The bench's data set and its database: which database, building and reusing it, refusing real data.

`manage.py bench` (benchmarks/command.py) runs these; measure.py times the pages and
report.py judges and prints the figures.
"""

import datetime
import os
import secrets
import shutil
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from actions.choices import Status
from actions.models import Action, ProgressUpdate
from benchmarks import measure
from measures.models import Measure
from pillars.models import Pillar, StrategicGoal
from reports.selectors import public_updates
from reports.services import period_previous, update_draft_for_period, update_publish
from themes.models import Theme

BENCH_DIR = Path(settings.BASE_DIR) / "var" / "bench"
# seed_scale's people, and the bench's own: a database with anyone else in it holds real data.
SYNTHETIC_USERNAME_PREFIXES = ("scale-", "bench-")
# The action the bench gives a long history, for the action page at its worst.
LONG_HISTORY_UPDATES = 500
LONG_HISTORY_EDITS = 20
PUBLISHED_MONTHS = 3


def bench_database_url(configured: str) -> str:
    """The bench's own database beside the configured one: never the configured one itself."""
    if configured.startswith("postgres"):
        parts = urlsplit(configured)
        name = parts.path.lstrip("/") or "secamb"
        return urlunsplit(parts._replace(path=f"/{name}_bench"))
    return f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}"


def redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        parts = parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@"))
    return urlunsplit(parts)


def postgres_create_database(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    conn = psycopg2.connect(maintenance)
    try:
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        conn.close()


def child_environment(url: str) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "secamb_journey.settings.base"),
        "DATABASE_URL": url,
        # Measured as production runs: DEBUG off (no query log, no debug templates). The key is a
        # throwaway, the hosts are the test client's and loopback's, and nothing redirects to HTTPS.
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": f"testserver,{measure.LOOPBACK}",
        # The test client's host, so public pages are cached as they are for the configured host.
        "SITE_URL": "http://testserver",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        # The bench signs people in with force_login, which gives no second factor.
        "OTP_REQUIRED_FOR_PRIVILEGED": "false",
        # The synthetic evidence file and any queued task stay in var/bench, out of the real folders.
        "MEDIA_ROOT": str(BENCH_DIR / "media"),
        "CELERY_DATA_DIR": str(BENCH_DIR / "celery"),
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }
    return env


def refuse_real_data() -> None:
    if "auth_user" not in connection.introspection.table_names():
        return
    people = get_user_model().objects.all()
    for prefix in SYNTHETIC_USERNAME_PREFIXES:
        people = people.exclude(username__startswith=prefix)
    if people.exists():
        raise CommandError(
            f"{redact(str(settings.DATABASES['default']['NAME']))} holds people who are not synthetic, so it may "
            "hold real data: the bench will not touch it. Leave out --database to use the bench's own database."
        )


def data_set_matches(n_actions: int, n_updates: int) -> bool:
    """The data set the bench builds: the actions, the updates (plus the long history's), published updates."""
    updates = ProgressUpdate.objects.count()
    return (
        Action.objects.count() == n_actions
        and n_updates <= updates <= n_updates + LONG_HISTORY_UPDATES
        and public_updates().exists()
    )


def wipe_database() -> None:
    if connection.vendor == "sqlite":
        name = Path(settings.DATABASES["default"]["NAME"])
        connection.close()
        for path in (name, Path(f"{name}-wal"), Path(f"{name}-shm")):
            path.unlink(missing_ok=True)
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    else:
        raise CommandError(f"The bench cannot wipe a {connection.vendor} database.")
    media = BENCH_DIR / "media"
    if media.exists() and media.resolve() == Path(settings.MEDIA_ROOT).resolve():
        shutil.rmtree(media)


def database_version() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        return str(cursor.fetchone()[0])


def collect_static_if_needed() -> None:
    """With DEBUG off the pages link static files through whitenoise's manifest, which collectstatic writes."""
    manifest = getattr(staticfiles_storage, "manifest_name", None)
    if manifest and not staticfiles_storage.exists(manifest):
        call_command("collectstatic", interactive=False, verbosity=0)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((measure.LOOPBACK, 0))
        return sock.getsockname()[1]


# --- What the bench adds to seed_scale's data ------------------------------------------------------


def long_history_add(*, entries: int) -> None:
    """Give the action with the most progress updates `entries` of them (LONG_HISTORY_UPDATES at full
    size) and some edits in its history: the action page at its worst. The new entries are older than
    its latest, so its status and percent stay those of its latest entry."""
    action = Action.objects.annotate(n=Count("progress_updates")).filter(n__gt=0).order_by("-n", "reference").first()
    if action is None:
        return
    existing = action.progress_updates.count()
    latest = action.progress_updates.order_by("-created_at", "-id").first()
    missing = max(0, entries - existing)
    span = (latest.created_at - action.created_at) / (missing + 1)
    ProgressUpdate.objects.bulk_create(
        [
            ProgressUpdate(
                action=action,
                author_id=action.owner_id,
                narrative="Synthetic weekly note for benchmarking the action page with a long history.",
                status=Status.ON_TRACK,
                percent_complete=min(latest.percent_complete, 50),
                created_at=action.created_at + span * (n + 1),
            )
            for n in range(missing)
        ],
        batch_size=1000,
    )
    # Saved directly, not through the services: synthetic edits, only so the history has rows to show.
    due = action.due_date
    lead = get_user_model().objects.filter(username__startswith="scale-lead-").first()
    for n in range(LONG_HISTORY_EDITS):
        action.due_date = due + datetime.timedelta(days=7 * ((n % 2) + 1)) if n < LONG_HISTORY_EDITS - 1 else due
        action._history_user = lead
        action.save(update_fields=["due_date"])


def publish_recent_updates() -> list[float]:
    """Draft and publish the last PUBLISHED_MONTHS months' updates, for the public pages to show.
    Returns each draft's time in milliseconds: drafting at this size is one of the figures."""
    samples = []
    period = period_previous(timezone.localdate())
    periods = []
    for _ in range(PUBLISHED_MONTHS):
        periods.append(period)
        period = period_previous(period)
    for period in reversed(periods):
        started = time.perf_counter()
        update = update_draft_for_period(period=period)
        samples.append((time.perf_counter() - started) * 1000)
        if update.status == "draft":
            update_publish(update=update, publisher=None)
    return samples


def personas() -> dict:
    """A lead for staff pages, a board member for the dashboard, and the owner with the most actions."""
    User = get_user_model()
    owner_id = Action.objects.values("owner").annotate(n=Count("id")).order_by("-n", "owner").first()["owner"]
    return {
        "lead": User.objects.filter(username__startswith="scale-lead-").order_by("username").first(),
        "board": User.objects.filter(username__startswith="scale-exec-").order_by("username").first(),
        "owner": User.objects.get(pk=owner_id),
    }


def staff_paths() -> list[tuple[str, str, str]]:
    """(name, path, persona) of each staff page timed."""
    long_action = (
        Action.objects.annotate(n=Count("progress_updates")).order_by("-n", "reference").only("reference").first()
    )
    pillar = Pillar.objects.order_by("number").first()
    theme = Theme.objects.order_by("number").first()
    goal = StrategicGoal.objects.order_by("number").first()
    one_measure = Measure.objects.order_by("slug").first()
    return [
        ("register", "/actions/", "lead"),
        ("register filtered", f"/actions/?pillar={pillar.slug}&status=at_risk&overdue=on", "lead"),
        ("register last page", "/actions/?page=last", "lead"),
        ("my actions", "/actions/mine/", "owner"),
        (f"action {long_action.reference}", f"/actions/{long_action.reference}/", "lead"),
        ("dashboard", "/dashboard/", "board"),
        ("dashboard pillar", f"/dashboard/pillars/{pillar.slug}/", "board"),
        ("dashboard theme", f"/dashboard/themes/{theme.slug}/", "board"),
        ("dashboard goal", f"/dashboard/goals/{goal.slug}/", "board"),
        ("measures", "/measures/", "board"),
        ("one measure", f"/measures/{one_measure.slug}/", "board"),
        ("board packs", "/board-packs/", "board"),
    ]
