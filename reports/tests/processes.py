"""A real site in other processes, for tests that must cross a process boundary.

`Site` is gunicorn with several sync workers on a free loopback port, its own database (a SQLite file,
or a throwaway PostgreSQL database when the suite runs on PostgreSQL) and optionally its own Redis;
`Site.manage(...)` runs a management command in yet another process, as an operator or the Celery
worker would. Nothing here shares memory with the test process, so a cache that is only correct within
one process is caught.
"""

import contextlib
import http.client
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    raise RuntimeError(f"nothing answered on 127.0.0.1:{port} within {seconds} s")


class Redis:
    """A throwaway redis-server on a free loopback port, stopped (or stoppable early) by the test."""

    def __init__(self, folder: Path):
        self.binary = shutil.which("redis-server")
        self.port = free_port()
        self.folder = folder
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(  # noqa: S603 -- a fixed argument list, no shell
            [self.binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"]
            + ["--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def _postgres_database(name: str, *, create: bool, template: str | None = None) -> None:
    import psycopg2

    db = settings.DATABASES["default"]
    conn = psycopg2.connect(
        dbname="postgres", user=db["USER"], password=db["PASSWORD"], host=db["HOST"], port=db["PORT"] or 5432
    )
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            if create:
                cursor.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
            else:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        conn.close()


def _on_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def _postgres_url(name: str) -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{name}"


class MigratedDatabase:
    """One database migrated once per test process, copied for each site: migrating is most of the time a
    site takes to start. A SQLite file (copied with SQLite's backup), or a PostgreSQL template database
    (CREATE DATABASE ... TEMPLATE). `forget()` removes it (reports/tests/conftest.py, at the session's end).
    """

    folder: Path | None = None
    postgres_name: str | None = None

    @classmethod
    def copy_to(cls, *, sqlite_file: Path | None = None, postgres_name: str | None = None, env: dict) -> None:
        if postgres_name:
            if cls.postgres_name is None:
                name = f"xproc_template_{uuid.uuid4().hex[:12]}"
                _postgres_database(name, create=True)
                cls.postgres_name = name
                cls._migrate(env, _postgres_url(name))
            _postgres_database(postgres_name, create=True, template=cls.postgres_name)
        else:
            if cls.folder is None:
                folder = Path(tempfile.mkdtemp(prefix="xproc-template-"))
                cls.folder = folder
                cls._migrate(env, f"sqlite:///{folder / 'db.sqlite3'}")
            source, target = sqlite3.connect(cls.folder / "db.sqlite3"), sqlite3.connect(sqlite_file)
            try:
                source.backup(target)
            finally:
                source.close()
                target.close()

    @staticmethod
    def _migrate(env: dict, database_url: str) -> None:
        result = subprocess.run(  # noqa: S603 -- a fixed argument list, no shell
            [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"],
            env={**{k: v for k, v in env.items() if k != "REDIS_URL"}, "DATABASE_URL": database_url},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0:
            raise AssertionError(f"migrate failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")

    @classmethod
    def forget(cls) -> None:
        if cls.postgres_name:
            _postgres_database(cls.postgres_name, create=False)
            cls.postgres_name = None
        if cls.folder:
            shutil.rmtree(cls.folder, ignore_errors=True)
            cls.folder = None


class Site:
    """The app under gunicorn in other processes, with its own database and cache configuration.

    Another app server of the same site: `database_of=` the first Site (sharing its database, which the
    first one removes), a working directory of its own (`cwd=`; MEDIA_ROOT is always the site's folder),
    and `gunicorn_args=` to run it as production does (["-c", "gunicorn.conf.py", ...]).
    """

    def __init__(
        self,
        folder: Path,
        *,
        redis_url: str | None = None,
        workers: int = 3,
        cwd: Path | None = None,
        database_of: "Site | None" = None,
        gunicorn_args: list[str] | None = None,
    ):
        self.folder = folder
        self.port = free_port()
        self.workers = workers
        self.cwd = cwd or ROOT
        self.gunicorn_args = gunicorn_args or ["--workers", str(workers), "--worker-class", "sync", "--timeout", "60"]
        self.process = None
        self.postgres_name = None
        folder.mkdir(parents=True, exist_ok=True)
        self.cwd.mkdir(parents=True, exist_ok=True)
        if database_of is not None:
            database_url = database_of.env["DATABASE_URL"]
        elif _on_postgres():
            self.postgres_name = f"xproc_{uuid.uuid4().hex[:12]}"
            database_url = _postgres_url(self.postgres_name)
        else:
            database_url = f"sqlite:///{folder / 'db.sqlite3'}"
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("REDIS_URL", "DATABASE_URL", "CELERY_BROKER_URL", "PYTEST_CURRENT_TEST")
        }
        self.env.update(
            # The test settings are DEBUG off with plain static files and tasks run in-process.
            DJANGO_SETTINGS_MODULE="secamb_journey.settings.test",
            DATABASE_URL=database_url,
            MEDIA_ROOT=str(folder / "media"),
            CELERY_DATA_DIR=str(folder / "celery"),
            LOG_LEVEL="WARNING",
            SITE_URL=f"http://127.0.0.1:{self.port}",
            # The checkout, importable from any working directory.
            PYTHONPATH=str(ROOT),
        )
        if redis_url:
            self.env["REDIS_URL"] = redis_url
        if database_of is None:
            # As `manage.py migrate` would leave it, from the copy migrated once.
            MigratedDatabase.copy_to(sqlite_file=folder / "db.sqlite3", postgres_name=self.postgres_name, env=self.env)

    def manage(self, *args: str, code: str | None = None) -> str:
        """Run `manage.py ARGS` (or `manage.py shell -c CODE`) in a new process; its standard output."""
        command = [sys.executable, str(ROOT / "manage.py"), *args]
        if code is not None:
            command = [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code]
        result = subprocess.run(  # noqa: S603 -- a fixed argument list, no shell
            command, env=self.env, cwd=self.cwd, capture_output=True, text=True, timeout=120
        )
        if result.returncode != 0:
            raise AssertionError(f"{command[2:]} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def start(self) -> None:
        log = open(self.folder / "gunicorn.log", "ab")  # noqa: SIM115 -- closed with the process
        self.process = subprocess.Popen(  # noqa: S603 -- a fixed argument list, no shell
            [sys.executable, "-m", "gunicorn", "secamb_journey.wsgi:application"]
            + ["--bind", f"127.0.0.1:{self.port}", *self.gunicorn_args],
            env=self.env,
            cwd=self.cwd,
            stdout=log,
            stderr=log,
        )
        log.close()
        wait_for_port(self.port)
        # Every worker must have booted, or the first reads would all land on the first one.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and self._worker_count() < self.workers:
            time.sleep(0.1)

    def _worker_count(self) -> int:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return len(children.read_text().split())
        except OSError:
            return self.workers  # no /proc here: go on without waiting

    def kill(self) -> None:
        """SIGKILL gunicorn and every worker at once, as a machine lost would leave them: no request finished."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        for pid in [self.process.pid, *map(int, children)]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.postgres_name:
            _postgres_database(self.postgres_name, create=False)
            self.postgres_name = None

    def get(
        self, path: str, *, host: str | None = None, method: str = "GET", session: str | None = None
    ) -> tuple[int, str]:
        """One request on a new connection (so successive requests spread over the workers), signed in
        with the session whose key is `session` if given."""
        headers = {"Host": host or f"127.0.0.1:{self.port}", "Connection": "close"}
        if session:
            headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={session}"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, headers=headers)
            response = conn.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            conn.close()
