"""The load test itself, run briefly (issue 28, finding 10): `make loadtest` failed on PostgreSQL as shipped
(its seed broke a database constraint) and nothing noticed. This runs loadtest/run.sh as `make loadtest`
does (its seed, gunicorn on the production settings, the load generator and its "no lost write" check), for
a few seconds with a handful of people, against a PostgreSQL database of its own and Redis, and fails on any
error or lost write. CI's PostgreSQL run (scripts/with-services.sh make test-postgres) includes it.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
import redis
from django.db import connection
from psycopg2 import sql

ROOT = Path(__file__).resolve().parents[2]
# A Redis database of its own on the services' server: its cache and its queue (tasks the run sends wait
# there, unsent: no worker reads it), apart from the tests' (1) and the live worker's (0).
REDIS_DB = 3

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (scripts/with-services.sh sets it)"),
]


def _server():
    """psycopg2 connection to the PostgreSQL server the tests use, outside any database of theirs."""
    settings = connection.settings_dict
    server = psycopg2.connect(
        dbname="postgres",
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
    )
    server.autocommit = True
    return server


@pytest.fixture
def database_url():
    """A fresh, empty database for the run (run.sh migrates it), dropped afterwards."""
    name = f"loadtest_{uuid.uuid4().hex[:10]}"
    server = _server()
    with server.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    try:
        yield f"postgres://{settings['USER']}{password}@{host}:{port}/{name}"
    finally:
        with server.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        server.close()


@pytest.fixture
def redis_url():
    url = os.environ["REDIS_URL"].rsplit("/", 1)[0] + f"/{REDIS_DB}"
    redis.Redis.from_url(url).flushdb()
    yield url
    redis.Redis.from_url(url).flushdb()


def test_a_short_load_test_on_postgresql_has_no_errors_and_no_lost_writes(database_url, redis_url, tmp_path):
    env = {name: value for name, value in os.environ.items() if name != "CELERY_LIVE_BROKER_URL"}
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        VENV=os.path.relpath(sys.prefix, ROOT),
        LOADTEST_DURATION="5",
        LOADTEST_STAFF="3",
        LOADTEST_READERS="2",
        LOADTEST_RAMP="1",
        LOADTEST_THINK="0.3",
        LOADTEST_WORKERS="2",
        LOADTEST_THREADS="4",
        LOADTEST_TO_ASSURE="3",
        LOADTEST_OUT=str(tmp_path),
        # The product's settings, but no static files collected: the run asks for none (loadtest/short_settings.py).
        LOADTEST_SETTINGS="loadtest.short_settings",
    )
    run = subprocess.run(  # noqa: S603 -- the project's own script, traffic on loopback only
        ["bash", str(ROOT / "loadtest" / "run.sh")],  # noqa: S607
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    output = f"{run.stdout}\n{run.stderr}"
    assert run.returncode == 0, output[-4000:]
    (result_file,) = tmp_path.glob("result-*.json")
    result = json.loads(result_file.read_text())
    assert result["verdict"] == "PASS", output[-4000:]
    assert result["errors"] == 0
    assert result["progress_accepted"] > 0  # the "no lost write" check ran on real writes
    assert result["progress_found"] == result["progress_accepted"] and result["lost_writes"] == 0
    assert result["contended"]["edits_lost"] == 0 and result["contended"]["double_sign_offs"] == []
    assert "PASS: 0 errors, 0 lost writes" in run.stdout
