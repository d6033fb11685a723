"""Measure every page at scale: `manage.py bench` builds (or reuses) a seed_scale data set and times it.

By default it never touches the configured database: it benchmarks a database of its own, a SQLite
file at var/bench/bench.sqlite3, or `<name>_bench` on the same server when DATABASE_URL names
PostgreSQL, and runs the measurements in a child process pointed at it (with DEBUG off, as production
runs). Whatever database it is given, it refuses one that holds anybody but synthetic people.

This module only runs the steps: the data set and its database are in benchmarks/dataset.py,
timing pages and load in measure.py, the targets and the printed table in report.py. A missed target
makes the command exit non-zero, naming it.
"""

import argparse
import contextlib
import json
import os
import platform
import secrets
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import django
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from django.urls import Resolver404, resolve
from django.utils import timezone

from actions.models import Action, ProgressUpdate
from benchmarks import dataset, measure, report
from benchmarks.dataset import (
    BENCH_DIR,
    bench_database_url,
    child_environment,
    collect_static_if_needed,
    data_set_matches,
    database_version,
    free_port,
    long_history_add,
    personas,
    postgres_create_database,
    publish_recent_updates,
    redact,
    refuse_real_data,
    staff_paths,
    wipe_database,
)
from benchmarks.nginx import nginx_available, nginx_in_front
from benchmarks.report import table, targets
from measures.demo import seed_scale_measures
from reports.models import ProgressSnapshot
from reports.selectors import public_updates
from reports.services import period_start, update_draft_for_period
from reports.services.board_pack import board_pack_generate, board_pack_weasyprint
from reports.snapshots import snapshot_take
from secamb_journey.generations import cache_clear

# Each public page under gunicorn: this many slices interleaved with the floor's (see gunicorn_load). Twelve
# of a second each, not six of two: wrk's keep-alive connections land on the two workers unevenly, a new
# draw each slice, so on a quiet machine the floor alone measured 2,245 to 7,083 requests per second in
# eight identical 2 s runs (3,370 to 4,027 with `Connection: close`). The median of more ratios holds
# still; the summed figures are printed beside it.
LOAD_SLICES = 12


def public_load_paths(update) -> list[tuple[str, str]]:
    """The public pages the bench times: those that exist in this build (/plan/ and /performance/ join
    when their apps are there; issue 15 holds each to the same target)."""
    pages = [
        ("home", "/"),
        ("updates", "/updates/"),
        ("one update", f"/updates/{update.slug}/"),
        ("feed", "/updates/feed/"),
        ("open data CSV", "/open-data/actions.csv"),
    ]
    for name, url in (("plan", "/plan/"), ("performance", "/performance/")):
        try:
            resolve(url)
        except Resolver404:
            continue
        pages.append((name, url))
    return pages


def run_meta(*, started_at, load_before, repetitions: int) -> dict:
    return {
        "started_at": started_at.isoformat(timespec="seconds"),
        "database": connection.vendor,
        "database_version": database_version(),
        "actions": Action.objects.count(),
        "progress_updates": ProgressUpdate.objects.count(),
        "snapshot_rows": ProgressSnapshot.objects.count(),
        "repetitions": repetitions,
        "python": platform.python_version(),
        "django": django.get_version(),
        "cpus": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "debug": settings.DEBUG,
    }


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
        parser.add_argument("--measures", type=int, default=500, help="Public and internal measures (default 500).")
        parser.add_argument("--measure-values", type=int, default=60, help="Monthly values per measure (default 60).")
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
        parser.add_argument(
            "--connections", type=int, default=16, help="wrk's connections, when Debian's wrk is there (default 16)."
        )
        parser.add_argument("--no-nginx", action="store_true", help="Skip the public pages through nginx.")
        parser.add_argument("--no-wrk", action="store_true", help="Use the thread-pool client even if wrk is there.")
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
        for name in (
            *("actions", "updates", "evidence", "snapshots", "measures", "measure_values"),
            *("repetitions", "load_seconds", "load_requests"),
        ):
            child += [f"--{name.replace('_', '-')}", str(options[name])]
        child += ["--concurrency", str(options["concurrency"]), "--connections", str(options["connections"])]
        child += ["--no-wrk"] if options["no_wrk"] else []
        child += ["--no-nginx"] if options["no_nginx"] else []
        child += ["--reuse"] if options["reuse"] else []
        child += ["--no-gunicorn"] if options["no_gunicorn"] else []
        child += ["--json", options["json"]] if options["json"] else []
        self.stderr.write(f"bench: measuring {redact(url)}")
        result = subprocess.run(child, env=child_environment(url), cwd=settings.BASE_DIR, check=False)  # noqa: S603
        if result.returncode:
            raise CommandError(
                f"The benchmark failed or missed a target (exit code {result.returncode}); see the MISSED lines above."
            )

    # --- The child: build or reuse the data, then measure ----------------------------------------

    def measure(self, options):
        load_before = os.getloadavg()
        started_at = timezone.now()
        refuse_real_data()
        seeded = self.ensure_data_set(options)
        # Idempotent by slug: a reused data set of actions gets its measures too (issue 12: 500 x 60).
        seed_scale_measures(options["measures"], options["measure_values"])
        self.analyze()
        reps = options["repetitions"]
        update = public_updates().first()
        pages = self.time_pages(public_load_paths(update), staff_paths(), reps)
        tasks = self.time_tasks(seeded, reps)
        served = []
        if not options["no_gunicorn"]:
            served = self.gunicorn_load([url for _name, url in public_load_paths(update)], options)
        result = {
            "meta": run_meta(started_at=started_at, load_before=load_before, repetitions=reps),
            "seed": {k: v for k, v in seeded.items() if k != "draft_ms"},
            "pages": [p.as_dict(pages[0].median_ms) for p in pages],
            "tasks": {
                name: {
                    "median_ms": round(measure.statistics.median(samples), 1),
                    "p95_ms": round(measure.percentile(samples, 0.95), 1),
                    "samples_ms": [round(s, 1) for s in samples],
                }
                for name, samples in tasks.items()
            },
            "gunicorn": [vars(r) for r in served],
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
        if report.missed(result):
            # A missed target is a failed run, for CI and for whoever runs it by hand: exit 1, saying which.
            raise CommandError(report.missed_message(result))

    def analyze(self):
        if connection.vendor != "postgresql":
            return
        # A freshly loaded database has no planner statistics, and autovacuum would gather them in
        # the middle of the timings (on the same two cores): gather them first, as a database that
        # has been running a while has them.
        # (Inside a transaction, as the test suite runs the bench on its own database, VACUUM cannot
        # run: ANALYZE alone can.)
        statement = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        self.stderr.write(f"bench: {statement}")
        with connection.cursor() as cursor:
            cursor.execute(statement)

    def time_pages(self, public: list[tuple[str, str]], staff: list[tuple[str, str, str]], reps: int) -> list:
        """Each page timed `reps` times: the trivial view first, each public page uncached and cached,
        each staff page as its persona."""
        anonymous = Client()
        clients = {"anonymous": anonymous}
        for role, user in personas().items():
            clients[role] = Client()
            clients[role].force_login(user)
            # What each person may do is read once per change of it (secamb_journey.permissions):
            # read it here, so that the first page timed for each person counts that page's own queries.
            clients[role].get("/")
        self.stderr.write(f"bench: timing {len(public) * 2 + len(staff) + 1} page kinds, {reps} requests each")
        page = measure.time_page
        with override_settings(ROOT_URLCONF="benchmarks.measure"):
            pages = [
                page(
                    anonymous,
                    "/bench/trivial/",
                    name="trivial view",
                    persona="anonymous",
                    kind="trivial",
                    repetitions=reps,
                )
            ]
            for name, url in public:
                kinds = {"public": {"before_each": cache_clear}, "public-cached": {}}
                for kind, extra in kinds.items():
                    pages.append(
                        page(anonymous, url, name=name, persona="anonymous", kind=kind, repetitions=reps, **extra)
                    )
            for name, url, role in staff:
                pages.append(page(clients[role], url, name=name, persona=role, kind="staff", repetitions=reps))
        return pages

    def time_tasks(self, seeded: dict, reps: int) -> dict[str, list[float]]:
        self.stderr.write("bench: timing drafting an update and taking a snapshot")
        task_reps = min(reps, 5)
        this_month = period_start(timezone.localdate())
        tasks = {
            "draft update": measure.time_call(
                lambda: update_draft_for_period(period=this_month), repetitions=task_reps
            ),
            "take snapshot": measure.time_call(lambda: snapshot_take(), repetitions=task_reps),
        }
        if seeded.get("draft_ms"):
            tasks["draft update"] = seeded["draft_ms"] + tasks["draft update"]
        # Issue 14: the whole pack (figures, HTML, the tagged PDF with every action in its appendix), once:
        # it takes seconds, and each run stores a new version of the day's ad-hoc pack.
        # WeasyPrint (and Pango through cffi) is loaded once per process, by its first pack: not a cost of
        # each pack, so it is loaded before the clock starts.
        board_pack_weasyprint()
        self.stderr.write("bench: timing generating a board pack (PDF)")
        tasks["board pack (PDF)"] = measure.time_call(lambda: board_pack_generate(), repetitions=1)
        return tasks

    def ensure_data_set(self, options) -> dict:
        """Reuse the data set when asked and it is there (judged by counts); otherwise build it."""
        n_actions, n_updates = options["actions"], options["updates"]
        if options["owned_database"]:
            call_command("migrate", interactive=False, verbosity=0)  # a reused data set gets new indexes too
        # Before the reuse check: a reused data set in a fresh checkout has no manifest yet either.
        collect_static_if_needed()
        has_tables = "actions_action" in connection.introspection.table_names()
        if has_tables and options["reuse"] and data_set_matches(n_actions, n_updates):
            self.stderr.write(f"bench: reusing the data set of {n_actions:,} actions")
            collect_static_if_needed()  # a fresh checkout reusing a copied database has no manifest yet
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
        long_history_add(entries=min(dataset.LONG_HISTORY_UPDATES, max(20, n_updates // 10)))
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
        """Requests per second for each of `paths` (anonymous) from gunicorn, 2 workers, on 127.0.0.1,
        against the floor: a trivial view under its own gunicorn with only the security and common
        middleware (benchmarks/trivial_settings.py), as issue 15 measures it.

        On a machine shared with others, load comes and goes within seconds (the floor alone has moved
        from 400 to 1,500 requests per second inside one run). So each page is measured interleaved with
        the floor in LOAD_SLICES short slices (floor, page, floor, page, ..., floor), each page slice
        judged against the floor's slices just before and after it, which see the same load, and the page
        by the median of those ratios (measure.paired_ratios); the summed figures are printed beside it.
        Then the same pages through nginx in front of the product's gunicorn (deploy/)."""
        trivial = "/bench/trivial/"
        seconds = max(1.0, options["load_seconds"] / LOAD_SLICES)
        results = []
        with (
            self.gunicorn(options, "benchmarks.trivial_settings", trivial) as floor_port,
            self.gunicorn(options, None, paths[0]) as port,
        ):
            floor_slices = [self.load_one(floor_port, trivial, options, seconds=seconds)]
            results.append(replace(measure.combined(floor_slices), site="trivial"))
            for path in paths:
                # Every worker fills its caches before the clock starts.
                measure.load(port=port, path=path, concurrency=2, max_requests=20, max_seconds=10)
                page_slices, floor_slices = [], floor_slices[-1:]
                for _ in range(LOAD_SLICES):
                    page_slices.append(self.load_one(port, path, options, seconds=seconds))
                    floor_slices.append(self.load_one(floor_port, trivial, options, seconds=seconds))
                page, floor = measure.combined(page_slices), measure.combined(floor_slices)
                page.floor_requests_per_second = floor.requests_per_second
                page.slice_ratios = measure.paired_ratios(page_slices, floor_slices)
                results += [page, replace(floor, site="trivial")]
            if nginx_available() and not options["no_nginx"]:
                with nginx_in_front(port) as front:
                    self.stderr.write(f"bench: nginx on {measure.LOOPBACK}:{front} in front of gunicorn")
                    for path in paths:
                        measure.load(port=front, path=path, concurrency=2, max_requests=20, max_seconds=10)
                        results.append(replace(self.load_one(front, path, options), site="nginx"))
        return results

    def load_one(self, port: int, path: str, options, *, seconds: float | None = None):
        seconds = seconds or options["load_seconds"]
        if measure.wrk_available() and not options["no_wrk"]:
            return measure.load_wrk(port=port, path=path, connections=options["connections"], seconds=seconds)
        return measure.load(
            port=port,
            path=path,
            concurrency=options["concurrency"],
            max_requests=options["load_requests"],
            max_seconds=seconds,
        )

    @contextlib.contextmanager
    def gunicorn(self, options, settings_module: str | None, ready_path: str):
        """gunicorn, 2 sync workers, on a free port of 127.0.0.1; yields the port once `ready_path` answers."""
        port = free_port()
        log = BENCH_DIR / "gunicorn.log"
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            # Production settings (DEBUG off), but for a throwaway server on loopback: a random key, the
            # one host it answers to (also SITE_URL's, so public pages are cached as in production),
            # and no redirect to HTTPS, which plain loopback HTTP cannot follow.
            "DEBUG": "false",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": measure.LOOPBACK,
            "SITE_URL": f"http://{measure.LOOPBACK}:{port}",
            "SECURE_SSL_REDIRECT": "false",
        }
        if settings_module:
            env["DJANGO_SETTINGS_MODULE"] = settings_module
        if "DATABASE_URL" not in env:
            raise CommandError("gunicorn needs DATABASE_URL to find this database; use --no-gunicorn.")
        command = [sys.executable, "-m", "gunicorn", "secamb_journey.wsgi:application"]
        command += ["--bind", f"{measure.LOOPBACK}:{port}", "--workers", "2"]
        # gunicorn.conf.py is read from the working directory, for both servers: the bench measures the
        # restart settings production runs (preload_app, max_requests), not a configuration of its own.
        command += ["--error-logfile", str(log), "--log-level", "warning"]
        self.stderr.write(
            f"bench: gunicorn on {measure.LOOPBACK}:{port}, 2 workers ({settings_module or 'the product'})"
        )
        process = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR)  # noqa: S603
        try:
            measure.wait_for_server(port=port, path=ready_path, seconds=60, process=process)
            yield port
        finally:
            measure.stop(process, seconds=20)


# --- The database ----------------------------------------------------------------------------------
