"""Measure every page at scale: `manage.py bench` builds (or reuses) a seed_scale data set and times it.

By default it never touches the configured database: it benchmarks a database of its own, a SQLite
file at var/bench/bench.sqlite3, or `<name>_bench` on the same server when DATABASE_URL names
PostgreSQL, and runs the measurements in a child process pointed at it (with DEBUG off, as production
runs). Whatever database it is given, it refuses one that holds anybody but synthetic people.
"""

import argparse
import datetime
import json
import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import django
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from actions.models import Action, ProgressUpdate, Status
from pillars.models import Pillar, StrategicGoal
from reports.models import ProgressSnapshot
from reports.public_cache import public_cache_clear
from reports.selectors import public_updates
from reports.services import period_previous, period_start, update_draft_for_period, update_publish
from reports.snapshots import snapshot_take
from secamb_journey import bench
from themes.models import Theme

BENCH_DIR = Path(settings.BASE_DIR) / "var" / "bench"
# seed_scale's people, and the bench's own: a database with anyone else in it holds real data.
SYNTHETIC_USERNAME_PREFIXES = ("scale-", "bench-")
# The action the bench gives a long history, for the action page at its worst.
LONG_HISTORY_UPDATES = 500
LONG_HISTORY_EDITS = 20
PUBLISHED_MONTHS = 3

# The targets of issue 8, checked at the end of every run.
STAFF_MEDIAN_MS = 150
CACHED_PUBLIC_TIMES_TRIVIAL = 3
DRAFT_SECONDS = 2
SEED_SECONDS = 120


class Command(BaseCommand):
    help = (
        "Builds or reuses a seed_scale data set in a benchmark database of its own and measures every page "
        "(median, 95th percentile, queries, multiple of a trivial view), drafting an update, taking a "
        "snapshot and requests per second under gunicorn on 127.0.0.1. Prints a table and writes JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("--actions", type=int, default=10_000)
        parser.add_argument("--updates", type=int, default=200_000)
        parser.add_argument("--evidence", type=int, default=1_000)
        parser.add_argument("--snapshots", type=int, default=36, metavar="MONTHS")
        parser.add_argument("--repetitions", type=int, default=20, help="Timed requests per page (default 20).")
        parser.add_argument(
            "--database",
            metavar="URL",
            help="The database to benchmark (default: var/bench/bench.sqlite3, or <name>_bench on the PostgreSQL "
            "server DATABASE_URL names). It is wiped and rebuilt unless --reuse finds the same data set.",
        )
        parser.add_argument(
            "--current-database",
            action="store_true",
            help="Measure the database this process is configured with (the test database, say), in this "
            "process. It is never wiped: it must be empty or hold the same data set (--reuse).",
        )
        parser.add_argument("--reuse", action="store_true", help="Keep a data set of this size if it is there.")
        parser.add_argument("--no-gunicorn", action="store_true", help="Skip the requests-per-second measurement.")
        parser.add_argument("--load-seconds", type=float, default=10.0, help="Time limit per load run (default 10).")
        parser.add_argument("--load-requests", type=int, default=3000, help="Request limit per load run.")
        parser.add_argument("--concurrency", type=int, default=8, help="Load client threads (default 8).")
        parser.add_argument("--json", metavar="PATH", help="Default: var/bench/bench-<database>-<time>.json.")
        # Set by the parent for its child: the database is the bench's own, so it may be wiped.
        parser.add_argument("--owned-database", action="store_true", help=argparse.SUPPRESS)

    # --- The parent: choose the bench database, run the measurements beside it ------------------

    def handle(self, *args, **options):
        for name in ("actions", "repetitions", "concurrency", "load_requests"):
            if options[name] < 1:
                raise CommandError(f"--{name.replace('_', '-')} must be at least 1.")
        if options["current_database"]:
            return self.measure(options)
        url = options["database"] or bench_database_url(os.environ.get("DATABASE_URL", ""))
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        if url.startswith("postgres"):
            postgres_create_database(url)
        child = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "bench", "--current-database"]
        child += ["--owned-database"] if not options["database"] else []
        for name in ("actions", "updates", "evidence", "snapshots", "repetitions", "load_seconds", "load_requests"):
            child += [f"--{name.replace('_', '-')}", str(options[name])]
        child += ["--concurrency", str(options["concurrency"])]
        child += ["--reuse"] if options["reuse"] else []
        child += ["--no-gunicorn"] if options["no_gunicorn"] else []
        child += ["--json", options["json"]] if options["json"] else []
        self.stderr.write(f"bench: measuring {redact(url)}")
        result = subprocess.run(child, env=child_environment(url), cwd=settings.BASE_DIR, check=False)  # noqa: S603
        if result.returncode:
            raise CommandError(f"The benchmark failed (exit code {result.returncode}); see above.")

    # --- The child: build or reuse the data, then measure ----------------------------------------

    def measure(self, options):
        load_before = os.getloadavg()
        started_at = timezone.now()
        refuse_real_data()
        seeded = self.ensure_data_set(options)
        reps = options["repetitions"]
        people = personas()
        long_action = (
            Action.objects.annotate(n=Count("progress_updates")).order_by("-n", "reference").only("reference").first()
        )
        update = public_updates().first()
        pillar = Pillar.objects.order_by("number").first()
        theme = Theme.objects.order_by("number").first()
        goal = StrategicGoal.objects.order_by("number").first()

        anonymous = Client()
        clients = {"anonymous": anonymous}
        for role, user in people.items():
            clients[role] = Client()
            clients[role].force_login(user)

        public = [
            ("home", "/"),
            ("updates", "/updates/"),
            ("one update", f"/updates/{update.slug}/"),
            ("feed", "/updates/feed/"),
            ("open data CSV", "/open-data/actions.csv"),
        ]
        staff = [
            ("register", "/actions/", "lead"),
            ("register filtered", f"/actions/?pillar={pillar.slug}&status=at_risk&overdue=on", "lead"),
            ("register last page", "/actions/?page=last", "lead"),
            ("my actions", "/actions/mine/", "owner"),
            (f"action {long_action.reference}", f"/actions/{long_action.reference}/", "lead"),
            ("dashboard", "/dashboard/", "board"),
            ("dashboard pillar", f"/dashboard/pillars/{pillar.slug}/", "board"),
            ("dashboard theme", f"/dashboard/themes/{theme.slug}/", "board"),
            ("dashboard goal", f"/dashboard/goals/{goal.slug}/", "board"),
        ]
        pages = []
        self.stderr.write(f"bench: timing {len(public) * 2 + len(staff) + 1} page kinds, {reps} requests each")
        with override_settings(ROOT_URLCONF="secamb_journey.bench"):
            page = bench.time_page
            pages.append(
                page(
                    anonymous,
                    "/bench/trivial/",
                    name="trivial view",
                    persona="anonymous",
                    kind="trivial",
                    repetitions=reps,
                )
            )
            for name, url in public:
                pages.append(
                    page(
                        anonymous,
                        url,
                        name=name,
                        persona="anonymous",
                        kind="public",
                        repetitions=reps,
                        before_each=public_cache_clear,
                    )
                )
                pages.append(
                    page(anonymous, url, name=name, persona="anonymous", kind="public-cached", repetitions=reps)
                )
            for name, url, role in staff:
                pages.append(page(clients[role], url, name=name, persona=role, kind="staff", repetitions=reps))

        self.stderr.write("bench: timing drafting an update and taking a snapshot")
        task_reps = min(reps, 5)
        this_month = period_start(timezone.localdate())
        tasks = {
            "draft update": bench.time_call(lambda: update_draft_for_period(period=this_month), repetitions=task_reps),
            "take snapshot": bench.time_call(lambda: snapshot_take(), repetitions=task_reps),
        }
        if seeded.get("draft_ms"):
            tasks["draft update"] = seeded["draft_ms"] + tasks["draft update"]

        served = []
        if not options["no_gunicorn"]:
            served = self.gunicorn_load(["/", f"/updates/{update.slug}/"], options)

        result = {
            "meta": {
                "started_at": started_at.isoformat(timespec="seconds"),
                "database": connection.vendor,
                "database_version": database_version(),
                "actions": Action.objects.count(),
                "progress_updates": ProgressUpdate.objects.count(),
                "snapshot_rows": ProgressSnapshot.objects.count(),
                "repetitions": reps,
                "python": platform.python_version(),
                "django": django.get_version(),
                "cpus": os.cpu_count(),
                "load_average_before": [round(x, 2) for x in load_before],
                "load_average_after": [round(x, 2) for x in os.getloadavg()],
                "debug": settings.DEBUG,
            },
            "seed": {k: v for k, v in seeded.items() if k != "draft_ms"},
            "pages": [],
            "tasks": {},
            "gunicorn": [vars(r) for r in served],
        }
        trivial_ms = pages[0].median_ms
        result["pages"] = [p.as_dict(trivial_ms) for p in pages]
        for name, samples in tasks.items():
            result["tasks"][name] = {
                "median_ms": round(bench.statistics.median(samples), 1),
                "p95_ms": round(bench.percentile(samples, 0.95), 1),
                "samples_ms": [round(s, 1) for s in samples],
            }
        result["targets"] = targets(result)
        path = (
            Path(options["json"])
            if options["json"]
            else BENCH_DIR / f"bench-{connection.vendor}-{started_at:%Y%m%d-%H%M%S}.json"
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(result, indent=2) + "\n")
        self.stdout.write(table(result))
        self.stdout.write(f"\nJSON written to {path}")

    def ensure_data_set(self, options) -> dict:
        """Reuse the data set when asked and it is there (judged by counts); otherwise build it."""
        n_actions, n_updates = options["actions"], options["updates"]
        if options["owned_database"]:
            call_command("migrate", interactive=False, verbosity=0)  # a reused data set gets new indexes too
        has_tables = "actions_action" in connection.introspection.table_names()
        if has_tables and options["reuse"] and data_set_matches(n_actions, n_updates):
            self.stderr.write(f"bench: reusing the data set of {n_actions:,} actions")
            return {"reused": True}
        if has_tables and Action.objects.exists():
            if not options["owned_database"]:
                raise CommandError(
                    "This database already holds actions that are not a data set of the size asked for. The bench "
                    "wipes only a database of its own: leave out --database and --current-database."
                )
            self.stderr.write("bench: wiping the bench database")
            wipe_database()
            has_tables = False
        if options["owned_database"] or not has_tables:
            call_command("migrate", interactive=False, verbosity=0)
        collect_static_if_needed()

        self.stderr.write(f"bench: seeding {n_actions:,} actions and {n_updates:,} progress updates")
        started = time.perf_counter()
        call_command(
            "seed_scale",
            actions=n_actions,
            updates=n_updates,
            evidence=options["evidence"],
            snapshots=options["snapshots"],
            stdout=self.stderr,
        )
        seed_seconds = time.perf_counter() - started
        started = time.perf_counter()
        long_history_add(entries=min(LONG_HISTORY_UPDATES, max(20, n_updates // 10)))
        draft_ms = publish_recent_updates()
        extras_seconds = time.perf_counter() - started
        return {
            "reused": False,
            "seed_scale_seconds": round(seed_seconds, 1),
            "bench_extras_seconds": round(extras_seconds, 1),
            "built_seconds": round(seed_seconds + extras_seconds, 1),
            "draft_ms": draft_ms,
        }

    def gunicorn_load(self, paths: list[str], options) -> list:
        """Requests per second for each of `paths` (anonymous) from gunicorn, 2 workers, on 127.0.0.1."""
        port = free_port()
        log = BENCH_DIR / "gunicorn.log"
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            # Production settings (DEBUG off), but for a throwaway server on loopback: a random key, the
            # one host it answers to, and no redirect to HTTPS, which plain loopback HTTP cannot follow.
            "DEBUG": "false",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": bench.LOOPBACK,
            "SECURE_SSL_REDIRECT": "false",
        }
        if "DATABASE_URL" not in env:
            raise CommandError("gunicorn needs DATABASE_URL to find this database; use --no-gunicorn.")
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "secamb_journey.wsgi:application",
            "--bind",
            f"{bench.LOOPBACK}:{port}",
            "--workers",
            "2",
            "--error-logfile",
            str(log),
            "--log-level",
            "warning",
        ]
        self.stderr.write(f"bench: gunicorn on {bench.LOOPBACK}:{port}, 2 workers")
        process = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR)  # noqa: S603
        results = []
        try:
            for path in paths:
                bench.wait_for_server(port=port, path=path, seconds=60, process=process)
                # Every worker fills its caches before the clock starts.
                bench.load(port=port, path=path, concurrency=2, max_requests=20, max_seconds=10)
                results.append(
                    bench.load(
                        port=port,
                        path=path,
                        concurrency=options["concurrency"],
                        max_requests=options["load_requests"],
                        max_seconds=options["load_seconds"],
                    )
                )
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        return results


# --- The database ----------------------------------------------------------------------------------


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
        "ALLOWED_HOSTS": f"testserver,{bench.LOOPBACK}",
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
        sock.bind((bench.LOOPBACK, 0))
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


# --- Judging and showing ---------------------------------------------------------------------------


def targets(result: dict) -> list[dict]:
    pages = result["pages"]
    trivial = next(p for p in pages if p["kind"] == "trivial")["median_ms"]
    found = []
    for p in pages:
        if p["kind"] == "staff":
            found.append(
                {
                    "what": f"{p['name']} ({p['persona']}) median",
                    "target": f"< {STAFF_MEDIAN_MS} ms",
                    "measured": f"{p['median_ms']:.1f} ms",
                    "met": p["median_ms"] < STAFF_MEDIAN_MS,
                }
            )
        elif p["kind"] == "public-cached":
            found.append(
                {
                    "what": f"{p['name']} from cache",
                    "target": f"<= {CACHED_PUBLIC_TIMES_TRIVIAL}x trivial",
                    "measured": f"{p['median_ms'] / trivial:.2f}x",
                    "met": p["median_ms"] <= CACHED_PUBLIC_TIMES_TRIVIAL * trivial,
                }
            )
    draft = result["tasks"]["draft update"]["median_ms"]
    found.append(
        {
            "what": "draft an update",
            "target": f"< {DRAFT_SECONDS} s",
            "measured": f"{draft / 1000:.2f} s",
            "met": draft < DRAFT_SECONDS * 1000,
        }
    )
    if result["seed"].get("built_seconds") is not None:
        built = result["seed"]["built_seconds"]
        found.append(
            {
                "what": "build the data set",
                "target": f"< {SEED_SECONDS} s",
                "measured": f"{built:.1f} s",
                "met": built < SEED_SECONDS,
            }
        )
    return found


def table(result: dict) -> str:
    meta = result["meta"]
    lines = [
        f"{meta['database']} {meta['database_version']}: {meta['actions']:,} actions, {meta['progress_updates']:,} "
        f"progress updates, {meta['repetitions']} requests per page; load average {meta['load_average_before'][0]} "
        f"before, {meta['load_average_after'][0]} after, {meta['cpus']} CPUs",
        "",
        f"{'page':<28} {'as':<10} {'cache':<6} {'queries':>7} {'median ms':>10} {'p95 ms':>8} {'x trivial':>10}",
    ]
    for p in result["pages"]:
        cache = {"public": "cold", "public-cached": "warm"}.get(p["kind"], "")
        lines.append(
            f"{p['name'][:28]:<28} {p['persona']:<10} {cache:<6} {p['queries']:>7} {p['median_ms']:>10.1f} "
            f"{p['p95_ms']:>8.1f} {p['ratio_to_trivial']:>10.1f}"
        )
    lines.append("")
    for name, t in result["tasks"].items():
        lines.append(f"{name:<28} median {t['median_ms']:>8.0f} ms, p95 {t['p95_ms']:>8.0f} ms")
    if result["seed"].get("built_seconds") is not None:
        s = result["seed"]
        lines.append(
            f"{'build the data set':<28} {s['built_seconds']:.1f} s (seed_scale {s['seed_scale_seconds']:.1f} s, "
            f"long history and published updates {s['bench_extras_seconds']:.1f} s)"
        )
    for g in result["gunicorn"]:
        lines.append(
            f"gunicorn GET {g['path']:<24} {g['requests_per_second']:>7.1f} req/s ({g['requests']} answers, "
            f"{g['errors']} errors, {g['concurrency']} clients, {g['seconds']} s; median {g['median_ms']} ms, "
            f"p95 {g['p95_ms']} ms)"
        )
    lines.append("")
    missed = [t for t in result["targets"] if not t["met"]]
    lines.append(f"targets: {len(result['targets']) - len(missed)} of {len(result['targets'])} met")
    for t in missed:
        lines.append(f"  MISSED {t['what']}: {t['measured']} (target {t['target']})")
    return "\n".join(lines)
