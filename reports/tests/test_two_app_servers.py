"""Two app servers behind nginx (issue 29), as production runs them: deploy/nginx.conf in front of two
gunicorns (gunicorn.conf.py), each with its own working directory and MEDIA_ROOT, sharing only
PostgreSQL, Redis (the cache and Celery's broker) and the stored files (Azure Blob Storage: Azurite),
with a Celery worker, all on loopback. In turn:

1. an owner uploads evidence on server A; the action's lead opens it on server B: the same bytes;
2. comms publishes an update on A; the public reads it on A, on B and through nginx within the
   cache's promise (each process reads the generation at most once a second; nginx holds a page 1 s);
3. the monthly draft and the board packs, sent by two beats started by mistake, are each made once;
4. server A is killed (SIGKILL, master and workers) while readers and staff are using the site through
   nginx: no read fails (nginx sends it to B), every progress entry answered as saved is saved (once),
   and those that failed are counted and reported.

One test, so that pytest-xdist cannot hand its steps to two processes, each starting the whole set.
"""

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings

from reports.tests.processes import ROOT, Site
from secamb_journey.generations import MEMO_SECONDS
from secamb_journey.tests.test_proxy import MODULES, NGINX, SERVER_NAME, start_nginx, stop_process

pytestmark = [
    pytest.mark.proxy,
    pytest.mark.postgres,
    pytest.mark.azurite,
    # In CI (make test-postgres) a missing server is a failure, not a skip.
    pytest.mark.skipif(
        (NGINX is None or not (MODULES / "ngx_http_headers_more_filter_module.so").exists())
        and not os.environ.get("CI"),
        reason="needs Debian's nginx and libnginx-mod-http-headers-more-filter (scripts/install-system-packages.sh)",
    ),
    pytest.mark.skipif(
        not shutil.which("redis-server") and not os.environ.get("CI"),
        reason="needs redis-server (scripts/install-system-packages.sh)",
    ),
]

MONTHLY, PACKS = "reports.tasks.draft_monthly_update", "reports.tasks.generate_board_packs"
# A fixed CSRF secret: Django accepts the unmasked secret in the form when it matches the cookie.
CSRF = "twoappserverstwoappserverstwoapp"

# The data, made on server A's database before the servers start: staff with sessions, two actions,
# a draft update for the month before last, a meeting due a pack; and the monthly draft and the board
# packs put on a two-second schedule, so that beats started later send them within the test.
SEED = """
import datetime, json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask, PeriodicTasks
from actions.models import Committee, Meeting
from actions.tests.factories import ActionFactory, UserFactory
from reports.services.periods import period_previous, update_draft_for_period
from secamb_journey.roles import Role

def session(user):
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "secamb_journey.accounts.backends.LocalPasswordBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key

owner = UserFactory(username="two-owner", roles=[Role.OWNER])
lead = UserFactory(username="two-lead", roles=[Role.LEAD])
comms = UserFactory(username="two-comms", roles=[Role.COMMS])
board = UserFactory(username="two-board", roles=[Role.BOARD])
actions = [ActionFactory(owner=owner, executive_lead=lead) for _ in range(2)]
today = timezone.localdate()
update = update_draft_for_period(period=period_previous(period_previous(today)))
committee = Committee.objects.create(name="Quality Governance Committee")
committee.members.add(lead)
meeting = Meeting.objects.create(committee=committee, date=today + datetime.timedelta(days=3))
every, _ = IntervalSchedule.objects.get_or_create(every=2, period=IntervalSchedule.SECONDS)
names = ["reports.tasks.draft_monthly_update", "reports.tasks.generate_board_packs"]
for task in PeriodicTask.objects.filter(task__in=names):
    task.crontab, task.interval, task.last_run_at = None, every, None
    task.save()
PeriodicTasks.update_changed()
print(json.dumps({
    "owner": session(owner), "lead": session(lead), "comms": session(comms),
    "actions": [a.reference for a in actions], "update": update.slug, "meeting": meeting.pk,
    "last_month": period_previous(today).isoformat(),
}))
"""

COUNTS = """
import json
from actions.models import ProgressUpdate
from reports.models import BoardPack, NoticeSent, PublishedUpdate
pack_ids = list(BoardPack.objects.filter(meeting_id=%(meeting)d).values_list("pk", flat=True))
print(json.dumps({
    "drafts": PublishedUpdate.objects.filter(period="%(last_month)s").count(),
    "packs": len(pack_ids),
    "pack_emails": NoticeSent.objects.filter(notice__in=[f"board-pack:{pk}" for pk in pack_ids]).count(),
    "saved": list(ProgressUpdate.objects.filter(narrative__startswith="load ").values_list("narrative", flat=True)),
}))
"""


def multipart(fields: dict, upload: tuple[str, str, bytes]) -> tuple[bytes, str]:
    """A multipart/form-data body of `fields` and one file (field name, file name, content); its type."""
    boundary = f"two-app-servers-{uuid.uuid4().hex}"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    field, filename, content = upload
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
        "Content-Type: text/plain\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    return b"".join([*parts, f"--{boundary}--\r\n".encode()]), f"multipart/form-data; boundary={boundary}"


def request(port: int, path: str, *, session=None, form: dict | None = None, upload=None, raw=False, timeout=15):
    """One request on a new connection, addressed to the site's name: (status, body as text, or bytes if
    `raw`). A POST of `form` (and the file `upload`, (field, name, content)) when given."""
    headers = {"Host": SERVER_NAME, "Connection": "close"}
    cookies = {settings.CSRF_COOKIE_NAME: CSRF}
    if session:
        cookies[settings.SESSION_COOKIE_NAME] = session
    headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    body = None
    if form is not None:
        fields = {**form, "csrfmiddlewaretoken": CSRF}
        if upload is not None:
            body, headers["Content-Type"] = multipart(fields, upload)
        else:
            body, headers["Content-Type"] = urlencode(fields), "application/x-www-form-urlencoded"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("POST" if form is not None else "GET", path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        return response.status, content if raw else content.decode("utf-8", "replace")
    finally:
        connection.close()


def celery(folder: Path, env: dict, *args: str) -> subprocess.Popen:
    """A Celery process (worker or beat) in a working directory of its own, logging to folder/celery.log."""
    folder.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(  # noqa: S603 -- a fixed argument list, no shell
        [sys.executable, "-m", "celery", "-A", "secamb_journey", *args, "--loglevel=info"]
        + [f"--logfile={folder / 'celery.log'}"],
        env={**env, "CELERY_TASK_ALWAYS_EAGER": "false"},
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=open(folder / "celery.err", "w"),  # noqa: SIM115 -- the child owns it
    )


def log_count(path: Path, pattern: str) -> int:
    return len(re.findall(pattern, path.read_text())) if path.exists() else 0


def log_tail(site: Site, lines: int = 15) -> str:
    return "\n".join((site.folder / "gunicorn.log").read_text().splitlines()[-lines:])


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {seconds} s")
        time.sleep(0.25)


@pytest.fixture
def servers(redis, tmp_path):
    """{"a", "b": the two Sites, "nginx": its port, "seed": what SEED printed, "worker": its folder}."""
    began = time.monotonic()
    # Production's settings, with each request logged (to gunicorn.log): which server took what.
    gunicorn = ["-c", str(ROOT / "gunicorn.conf.py"), "--workers", "2", "--threads", "4", "--access-logfile", "-"]
    common = {"redis_url": redis.url, "workers": 2, "gunicorn_args": gunicorn}
    a = Site(tmp_path / "a", cwd=tmp_path / "a" / "cwd", **common)
    b = Site(tmp_path / "b", cwd=tmp_path / "b" / "cwd", database_of=a, **common)
    container = f"two-servers-{uuid.uuid4().hex[:12]}"
    for site in (a, b):
        site.env.update(
            ALLOWED_HOSTS=f"{SERVER_NAME},127.0.0.1",
            SITE_URL=f"http://{SERVER_NAME}",
            CELERY_TASK_ALWAYS_EAGER="false",
            CELERY_BROKER_URL=redis.url,
            # The stored files in Azure Blob Storage (Azurite): no disk shared between the servers.
            STORAGE_BACKEND="azure",
            AZURE_CONNECTION_STRING=os.environ.get("AZURITE_CONNECTION_STRING", ""),
            AZURE_CONTAINER=container,
        )
    processes, nginx = [], None
    try:
        a.manage("ensure_storage")
        seed = json.loads(a.manage(code=SEED).strip().splitlines()[-1])
        # A worker of its own rather than scripts/with-services.sh's: that one reads the database `secamb`,
        # and the servers' data is in this test's; its own Redis too, so no other test's tasks reach it.
        processes.append(celery(tmp_path / "worker", a.env, "worker", "--pool=threads", "--concurrency=2"))
        a.start()
        b.start()
        nginx, port = start_nginx(tmp_path / "nginx", (a.port, b.port))
        wait_for(lambda: log_count(tmp_path / "worker" / "celery.log", r" ready\.") > 0, 60, "the worker ready")
        print(f"\nSet up in {time.monotonic() - began:.0f} s", end="")
        yield {"a": a, "b": b, "nginx": port, "seed": seed, "worker": tmp_path / "worker", "tmp": tmp_path}
    finally:
        if nginx is not None:
            stop_process(nginx, signal.SIGQUIT)
        for process in processes:
            stop_process(process)
        b.stop()
        a.stop()


def counts(servers) -> dict:
    return json.loads(servers["a"].manage(code=COUNTS % servers["seed"]).strip().splitlines()[-1])


# --- 1. Uploaded on one server, opened on the other ---------------------------------------------------


def upload_on_a_and_open_on_b(servers) -> int:
    """An owner attaches evidence on A, the action's lead opens it on B: the same bytes. Its size."""
    a, b, seed = servers["a"], servers["b"], servers["seed"]
    for site in (a, b):  # each server reports the shared storage as well as the database and broker
        health = json.loads(request(site.port, "/healthz")[1])
        assert health["storage"] == {"ok": True, "backend": "azure"} and health["status"] == "ok", health
    reference = seed["actions"][0]
    content = f"Minutes of the meeting that agreed {reference}, uploaded on server A.\n".encode() * 500
    form = {"description": "Minutes of the meeting", "kind": ""}
    status, _ = request(
        a.port, f"/actions/{reference}/evidence/", session=seed["owner"], form=form, upload=("file", "m.txt", content)
    )
    assert status == 302, f"the owner could not attach evidence on server A: {log_tail(a)}"
    status, page = request(b.port, f"/actions/{reference}/", session=seed["lead"])
    links = re.findall(rf"/actions/{reference}/evidence/\d+/", page)
    assert status == 200 and len(links) == 1, "server B does not list the evidence uploaded on A"
    status, body = request(b.port, links[0], session=seed["lead"], raw=True)
    assert status == 200, f"the lead could not open on B the evidence uploaded on A: {log_tail(b)}"
    assert body == content
    on_disk = [path for site in (a, b) for path in (site.folder / "media").rglob("*") if path.is_file()]
    assert not on_disk, f"stored files on an app server's disk: {on_disk}"
    return len(body)


# --- 2. Published on one server, read on both -------------------------------------------------------


# The cache's promise: a read that starts this long after the publication was answered lists it. Each
# process reads the generation at most once a second; nginx may then hold the page for its own second,
# and hands the copy it holds to the first reader after that while it fetches the new one in the
# background (deploy/nginx-public-cache-location.conf: proxy_cache_background_update), so through nginx
# the first read after the promise may still be the old page; none after it.
PROMISE = {"A": MEMO_SECONDS, "B": MEMO_SECONDS, "nginx": 2 * MEMO_SECONDS}


def publish_on_a_and_read_everywhere(servers) -> dict[str, float]:
    """comms publishes on A; the public reads /updates/ on A, B and nginx in turn for a little longer than
    the promise. Every read that started after its reader's promise lists the update. When each reader's
    first read that listed it had started (seconds after the publication)."""
    seed, slug = servers["seed"], servers["seed"]["update"]
    readers = {"A": servers["a"].port, "B": servers["b"].port, "nginx": servers["nginx"]}
    link = f"/updates/{slug}/"
    for port in readers.values():  # every process has the list cached without the update
        for _ in range(8):
            status, body = request(port, "/updates/")
            assert status == 200 and link not in body
    status, _ = request(readers["A"], f"/reports/updates/{slug}/publish/", session=seed["comms"], form={})
    assert status == 302, "comms could not publish on server A"
    published, reads = time.monotonic(), []
    while time.monotonic() - published < max(PROMISE.values()) + 1:
        for name, port in readers.items():
            started = time.monotonic() - published
            reads.append((name, round(started, 2), link in request(port, "/updates/")[1]))
    after = {name: [(s, fresh) for n, s, fresh in reads if n == name and s > PROMISE[name]] for name in readers}
    after["nginx"] = after["nginx"][1:]
    late = [(name, started) for name, answers in after.items() for started, fresh in answers if not fresh]
    assert not late, f"reads (reader, seconds after publishing) that did not list the update: {late}"
    for port in readers.values():
        assert request(port, link)[0] == 200
    return {name: min(s for n, s, fresh in reads if n == name and fresh) for name in readers}


# --- 3. Two beats, one of each thing -----------------------------------------------------------------


def sent_by(log: Path, task: str) -> int:
    return log_count(log, rf"Sending due task .*\({re.escape(task)}\)")


def two_beats(servers) -> dict[str, int]:
    """Two beats on the same broker and database, as two machines each starting the full stack by mistake,
    each left to send the monthly draft and the board packs; how many times each task was sent and run."""
    logs = [servers["tmp"] / f"beat{n}" / "celery.log" for n in (1, 2)]
    beats = [celery(log.parent, servers["a"].env, "beat") for log in logs]
    try:
        wait_for(lambda: all(sent_by(log, task) for log in logs for task in (MONTHLY, PACKS)), 60, "both beats sending")
    finally:
        for beat in beats:
            stop_process(beat)
    sent = {task: sum(sent_by(log, task) for log in logs) for task in (MONTHLY, PACKS)}
    worker_log = servers["worker"] / "celery.log"

    def ran(task: str) -> int:
        return log_count(worker_log, rf"Task {re.escape(task)}\[[^\]]+\] succeeded")

    wait_for(lambda: all(ran(task) >= times for task, times in sent.items()), 90, "the worker running each")
    return sent


# --- 4. A server killed under load ---------------------------------------------------------------------


def load(servers, seconds: float, kill_after: float) -> dict:
    """Three readers (public pages, and the owner's action page) and the owner logging progress on two
    actions at once, through nginx; server A killed part-way. The reads' statuses, counted, and each
    progress entry's words, status, and whether it was answered after the kill."""
    seed, port = servers["seed"], servers["nginx"]
    refs = seed["actions"]
    pages = [("/updates/", None), ("/plan/", None), (f"/actions/{refs[0]}/", seed["owner"])]
    reads, posts, stop, killed = [], [], threading.Event(), threading.Event()  # list.append is thread-safe

    def reader(offset: int) -> None:
        n = offset
        while not stop.is_set():
            path, session = pages[n % len(pages)]
            try:
                status = request(port, path, session=session)[0]
            except (OSError, http.client.HTTPException) as error:  # refused, reset, cut short
                status = type(error).__name__
            reads.append(status)
            n += 1

    def writer(ref: str) -> None:
        n = 0
        while not stop.is_set():
            narrative = f"load {ref} {n}"
            form = {"narrative": narrative, "status": "on_track", "percent_complete": str(n % 100)}
            try:
                status = request(port, f"/actions/{ref}/progress/", session=seed["owner"], form=form)[0]
            except (OSError, http.client.HTTPException) as error:  # refused, reset, cut short
                status = type(error).__name__
            posts.append((narrative, status, stop.is_set() or killed.is_set()))
            n += 1

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(3)]
    threads += [threading.Thread(target=writer, args=(ref,)) for ref in refs]
    for thread in threads:
        thread.start()
    time.sleep(kill_after)
    servers["a"].kill()
    killed.set()
    time.sleep(seconds - kill_after)
    stop.set()
    for thread in threads:
        thread.join()
    return {"reads": Counter(reads), "posts": posts}


def test_two_app_servers_behind_nginx_share_the_site_run_beat_once_and_survive_losing_one(servers):
    size = upload_on_a_and_open_on_b(servers)
    print(f"\nEvidence of {size} bytes uploaded on A (Azure Blob Storage), opened on B: the same bytes")
    seen = publish_on_a_and_read_everywhere(servers)
    print(f"Published on A; first read that listed it started after (s): {seen}")

    began = time.monotonic()
    sent = two_beats(servers)
    made = counts(servers)
    print(
        f"Two beats sent {sent}; made: {made['drafts']} draft, {made['packs']} pack, {made['pack_emails']} e-mails "
        f"({time.monotonic() - began:.0f} s)"
    )
    assert all(times >= 2 for times in sent.values()), f"each task should have been sent by both beats: {sent}"
    assert (made["drafts"], made["packs"], made["pack_emails"]) == (1, 1, 2)

    result = load(servers, seconds=7, kill_after=2.5)
    served = {name: log_count(servers[name].folder / "gunicorn.log", r'"POST /actions/\S+/progress/') for name in "ab"}
    saved_rows = counts(servers)["saved"]
    saved = set(saved_rows)
    posts = result["posts"]
    accepted = [narrative for narrative, status, _after in posts if status == 302]
    failed = [(narrative, status) for narrative, status, _after in posts if status != 302]
    after_kill = sum(status == 302 for _narrative, status, after in posts if after)
    print(
        f"Under load, A killed after 2.5 s of 7: reads {dict(result['reads'])}; {len(posts)} progress entries "
        f"posted, {len(accepted)} answered as saved ({after_kill} after the kill), failed: {failed} "
        f"(of which saved: {[n for n, _ in failed if n in saved]}); {len(saved)} in the database; "
        f"progress entries taken by A {served['a']}, by B {served['b']}"
    )
    assert served["a"] and served["b"], "the load did not reach both servers"
    assert set(result["reads"]) == {200}, f"reads that failed: {result['reads']}"
    assert accepted and after_kill, "no progress entry was saved on both sides of the kill"
    lost = [narrative for narrative in accepted if narrative not in saved]
    assert not lost, f"answered as saved but not in the database: {lost}"
    twice = [narrative for narrative, times in Counter(saved_rows).items() if times > 1]
    assert not twice, f"saved twice (a POST sent again to the other server): {twice}"
