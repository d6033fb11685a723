"""The load generator: simulated staff and anonymous readers against a server on loopback, then a check
that every progress entry the server accepted is in the database.

Each of --staff people signs in once (the real form, with its CSRF token; all of them before the
timed run starts, their sign-ins measured separately), then, for --duration seconds, loops: their actions
(/actions/mine/), one action's page, the progress form, and a POST of that form with a narrative
carrying a unique token. Each of --readers anonymous people loops over the home page, the published
updates and the open-data CSV. Everyone pauses --think seconds (on average) between requests.

With --contended (the default), two improvement leads also write the same few actions as their owners:
progress entries, edits from forms opened at the same time, and simultaneous sign-offs of the same
complete actions (loadtest/contended.py says what counts as accepted, refused and lost).

Afterwards it prints requests per second, p50/p95/p99 latency for each kind of page and the error
count, and compares the tokens of every POST answered with a redirect (accepted) with the narratives
in the database: a missing one is a lost write. Exit status 0 only with no errors and no lost writes.

Standard library only (http.client, threads), so it needs nothing installed beyond the app.
"""

import argparse
import http.client
import json
import os
import random
import re
import statistics
import sys
import threading
import time
import uuid
from collections import defaultdict
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from loadtest import contended as contention_module

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Pacing and choice of page only: nothing secret depends on it.
rng = random.Random()  # noqa: S311


class Recorder:
    """Latencies and errors for each kind of request, shared by every simulated person."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = defaultdict(list)
        self.errors = defaultdict(int)
        self.error_samples = []
        self.accepted = defaultdict(set)  # action reference -> tokens of accepted progress entries
        self.reconnects = 0  # GETs retried once because the server had closed an idle keep-alive connection

    def record(self, kind, seconds, ok, detail=""):
        with self.lock:
            self.latencies[kind].append(seconds)
            if not ok:
                self.errors[kind] += 1
                if len(self.error_samples) < 20:
                    self.error_samples.append(f"{kind}: {detail}")


class Browser:
    """One person's keep-alive connection and cookies."""

    def __init__(self, host, port, recorder, timeout):
        self.host, self.port, self.timeout = host, port, timeout
        self.recorder = recorder
        self.cookies = {}
        self.conn = None
        self.reused = False

    def _connection(self):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.reused = False
        return self.conn

    def _close(self):
        if self.conn is not None:
            self.conn.close()
        self.conn = None

    def request(self, kind, method, path, *, form=None, expect=200):
        headers = {"Host": f"{self.host}:{self.port}", "User-Agent": "secamb-loadtest"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        for attempt in (1, 2):
            try:
                conn = self._connection()
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                content = response.read()
                self.reused = True
                break
            except (OSError, http.client.HTTPException) as error:
                stale = self.reused and isinstance(
                    error, (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected)
                )
                self._close()
                # As a browser does: a GET on a kept-alive connection the server had just closed is sent
                # again on a new one. A POST never is (it might have been received): it counts as an error.
                if attempt == 1 and stale and method == "GET":
                    with self.recorder.lock:
                        self.recorder.reconnects += 1
                    continue
                self.recorder.record(kind, time.perf_counter() - started, False, f"{type(error).__name__}: {error}")
                return None, b"", {}
        elapsed = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        ok = response.status in expect if isinstance(expect, tuple) else response.status == expect
        self.recorder.record(kind, elapsed, ok, f"{method} {path} -> {response.status}")
        return response.status, content, dict(response.getheaders())


class Clock:
    """The timed run starts when every staff member has signed in (or failed to): signing in is
    deliberately slow (password hashing), so a crowd signing in at once is measured on its own,
    before the clock, and the timed run is 50 signed-in staff at work alongside the readers.
    """

    def __init__(self, staff):
        self.signed_in = threading.Semaphore(0)
        self.go = threading.Event()
        self.stop_at = 0.0
        self.staff = staff

    def running(self):
        return time.monotonic() < self.stop_at


def _pause(think, clock):
    if think > 0:
        time.sleep(min(rng.uniform(0.5 * think, 1.5 * think), max(0.0, clock.stop_at - time.monotonic())))


def _sign_in(browser, person, password) -> bool:
    status, page, _ = browser.request("sign in: form", "GET", "/accounts/login/")
    token = CSRF_INPUT.search(page.decode(errors="replace")) if status == 200 else None
    if not token:
        return False
    status, _, _ = browser.request(
        "sign in: POST",
        "POST",
        "/accounts/login/",
        form={"csrfmiddlewaretoken": token.group(1), "username": person["username"], "password": password},
        expect=302,
    )
    return status == 302


def staff_member(person, password, run_id, args, recorder, clock, start_delay):
    time.sleep(start_delay)
    browser = Browser(args.host, args.port, recorder, args.timeout)
    try:
        signed_in = _sign_in(browser, person, password)
    finally:
        clock.signed_in.release()
    clock.go.wait()
    if not signed_in:
        return
    sequence = 0
    while clock.running():
        browser.request("staff: my actions", "GET", "/actions/mine/")
        _pause(args.think, clock)
        reference = rng.choice(person["actions"])
        browser.request("staff: action page", "GET", f"/actions/{reference}/")
        _pause(args.think, clock)
        status, page, _ = browser.request("staff: progress form", "GET", f"/actions/{reference}/progress/")
        token = CSRF_INPUT.search(page.decode(errors="replace")) if status == 200 else None
        _pause(args.think, clock)
        if token is None or not clock.running():
            continue
        sequence += 1
        entry = f"LT:{run_id}:{person['username']}:{sequence}"
        status, _, _ = browser.request(
            "staff: progress POST",
            "POST",
            f"/actions/{reference}/progress/",
            form={
                "csrfmiddlewaretoken": token.group(1),
                "narrative": f"{entry} Checked vehicles and logged what was found; next check in a week.",
                "status": "on_track",
                "percent_complete": str(rng.randint(1, 99)),
                "public_highlight": "",
            },
            expect=302,
        )
        if status == 302:
            with recorder.lock:
                recorder.accepted[reference].add(entry)
        _pause(args.think, clock)


def reader(args, recorder, clock, start_delay):
    clock.go.wait()
    time.sleep(start_delay)
    browser = Browser(args.host, args.port, recorder, args.timeout)
    pages = [
        ("public: home", "/"),
        ("public: updates", "/updates/"),
        ("public: open data CSV", "/open-data/actions.csv"),
    ]
    while clock.running():
        kind, path = rng.choice(pages)
        browser.request(kind, "GET", path)
        _pause(args.think, clock)


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def print_table(latencies, errors) -> dict:
    print(f"{'page kind':<26}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    summary = {}
    for kind in sorted(latencies):
        values = latencies[kind]
        row = {
            "requests": len(values),
            "errors": errors.get(kind, 0),
            "p50_ms": round(1000 * statistics.median(values), 1),
            "p95_ms": round(1000 * percentile(values, 0.95), 1),
            "p99_ms": round(1000 * percentile(values, 0.99), 1),
            "max_ms": round(1000 * max(values), 1),
        }
        summary[kind] = row
        print(
            f"{kind:<26}{row['requests']:>9}{row['errors']:>8}{row['p50_ms']:>9}{row['p95_ms']:>9}"
            f"{row['p99_ms']:>9}{row['max_ms']:>9}"
        )
    return summary


def check_database(run_id, recorder):
    """Every accepted entry must be stored; also count entries stored but not acknowledged (timeouts)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secamb_journey.settings.base")
    django.setup()
    from actions.models import ProgressUpdate

    stored = defaultdict(set)
    rows = ProgressUpdate.objects.filter(narrative__startswith=f"LT:{run_id}:").values_list(
        "action__reference", "narrative"
    )
    for reference, narrative in rows:
        stored[reference].add(narrative.split(" ", 1)[0])
    lost = {ref: sorted(tokens - stored[ref]) for ref, tokens in recorder.accepted.items() if tokens - stored[ref]}
    unacknowledged = sum(len(tokens - recorder.accepted.get(ref, set())) for ref, tokens in stored.items())
    return stored, lost, unacknowledged


def arguments() -> tuple[argparse.ArgumentParser, argparse.Namespace]:
    parser = argparse.ArgumentParser(description="Load test a server on loopback (see the module docstring).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--people", type=Path, required=True, help="the JSON file loadtest.seed wrote")
    parser.add_argument("--password", required=True)
    parser.add_argument("--staff", type=int, default=50)
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--ramp", type=float, default=60.0, help="seconds over which the staff arrive to sign in")
    parser.add_argument("--think", type=float, default=1.0, help="average pause between requests, seconds")
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--no-contended", dest="contended", action="store_false", help="leave out the two leads' contended writes"
    )
    args = parser.parse_args()
    if args.host not in LOOPBACK:
        parser.error("the load test only ever sends traffic to this machine (127.0.0.1, localhost or ::1)")
    return parser, args


def contended_threads(args, seeded, run_id, recorder, contention, clock) -> list[threading.Thread] | None:
    """Each lead's editor and assurer, signed in; None when a lead could not sign in."""
    threads = []
    for lead in seeded.get("leads", []):
        editor, assurer = (Browser(args.host, args.port, recorder, args.timeout) for _ in range(2))
        if not (
            _sign_in(editor, {"username": lead}, args.password) and _sign_in(assurer, {"username": lead}, args.password)
        ):
            print(f"loadtest: {lead} could not sign in", file=sys.stderr)
            return None

        def edits(lead=lead, browser=editor):
            clock.go.wait()
            contention_module.lead_editor(
                lead,
                browser,
                seeded["contended"],
                run_id,
                recorder,
                contention,
                clock,
                lambda: _pause(args.think / 4, clock),
                rng,
            )

        def assures(browser=assurer):
            clock.go.wait()
            contention_module.lead_assurer(browser, contention, clock)

        threads += [threading.Thread(target=edits, daemon=True), threading.Thread(target=assures, daemon=True)]
    return threads


def run(args, recorder, clock, contention, staff_threads, threads) -> dict:
    """Start every thread; once the staff have signed in, let the timed run go for its duration."""
    sign_in_started = time.monotonic()
    for thread in threads:
        thread.start()
    for _ in staff_threads:
        clock.signed_in.acquire(timeout=args.ramp + 4 * args.timeout)
    sign_in_seconds = time.monotonic() - sign_in_started
    sign_in_phase = {k: list(v) for k, v in recorder.latencies.items()}
    sign_in_errors = dict(recorder.errors)
    started = time.monotonic()
    clock.stop_at = started + args.duration
    clock.go.set()
    # Once the run is over, release a lead left waiting for the other at the sign-off barrier.
    time.sleep(max(0.0, clock.stop_at - time.monotonic()))
    contention.barrier.abort()
    for thread in threads:
        thread.join(timeout=args.duration + args.timeout + 60)
    return {
        "sign_in_seconds": sign_in_seconds,
        "sign_in_phase": sign_in_phase,
        "sign_in_errors": sign_in_errors,
        "wall": time.monotonic() - started,
    }


def report_requests(args, recorder, ran: dict, load_before: float, load_after: float) -> dict:
    print(f"\nsign-in: {args.staff} staff in {ran['sign_in_seconds']:.1f} s")
    print_table(ran["sign_in_phase"], ran["sign_in_errors"])
    wall = ran["wall"]
    timed = {k: v for k, v in recorder.latencies.items() if not k.startswith("sign in")}
    total = sum(len(v) for v in timed.values())
    errors = sum(recorder.errors.values())
    timed_errors = {k: v for k, v in recorder.errors.items() if not k.startswith("sign in")}
    print(f"\ntimed run: {total} requests in {wall:.1f} s: {total / wall:.1f} requests per second")
    summary = print_table(timed, timed_errors)
    # The server, its database, Redis, the worker and this generator share the machine: a high load
    # before the start means something else was competing, and the figures are not this app's alone.
    print(f"machine: {os.cpu_count()} CPUs; 1-minute load average {load_before:.1f} before, {load_after:.1f} after")
    print(f"errors: {errors} (sign-in and timed run together)")
    print(f"(idle keep-alive connections the server had closed, GET sent again on a new one: {recorder.reconnects})")
    for sample in recorder.error_samples:
        print(f"  error: {sample}")
    return {"total": total, "errors": errors, "summary": summary}


def report_writes(args, seeded, run_id, recorder, contention) -> dict:
    stored, lost, unacknowledged = check_database(run_id, recorder)
    accepted = sum(len(v) for v in recorder.accepted.values())
    found = sum(len(stored[ref] & tokens) for ref, tokens in recorder.accepted.items())
    print(
        f"\nprogress entries accepted (POST answered 302): {accepted} on {len(recorder.accepted)} actions; "
        f"found in the database: {found}; lost: {accepted - found}; stored but not acknowledged: {unacknowledged}"
    )
    for reference, tokens in sorted(lost.items())[:20]:
        print(f"  LOST on {reference}: {', '.join(tokens[:5])}")
    contended = contention_module.check_database(run_id, contention) if args.contended else {}
    if contended:
        print(
            f"contended writes (two leads and the owners on {len(seeded['contended'])} actions): "
            f"edits accepted {contended['edits_accepted']}, refused as stale (a correct outcome, not an error) "
            f"{contended['edits_refused_stale']}, lost {contended['edits_lost']}; simultaneous sign-offs accepted "
            f"{contended['assurances_accepted']}, refused {contended['assurances_refused']}, "
            f"signed off twice {len(contended['double_sign_offs'])}"
        )
        for reference, tokens in contended["lost_edit_samples"].items():
            print(f"  LOST EDIT on {reference}: {', '.join(tokens[:5])}")
    return {
        "accepted": accepted,
        "found": found,
        "lost": lost,
        "unacknowledged": unacknowledged,
        "contended": contended,
    }


def write_json(args, run_id, recorder, ran: dict, requests: dict, writes: dict, verdict: str, *, loads) -> None:
    wall, total = ran["wall"], requests["total"]
    load_before, load_after = loads
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps(
            {
                "run_id": run_id,
                "settings": {k: v for k, v in vars(args).items() if k not in ("password", "people", "json")},
                "seconds": round(wall, 1),
                "requests": total,
                "requests_per_second": round(total / wall, 1),
                "errors": requests["errors"],
                "keepalive_reconnects": recorder.reconnects,
                "cpus": os.cpu_count(),
                "load_average_before": round(load_before, 1),
                "load_average_after": round(load_after, 1),
                "by_kind": requests["summary"],
                "sign_in_seconds": round(ran["sign_in_seconds"], 1),
                "sign_in_by_kind": {
                    kind: {"requests": len(v), "p50_ms": round(1000 * statistics.median(v), 1)}
                    for kind, v in ran["sign_in_phase"].items()
                },
                "progress_accepted": writes["accepted"],
                "progress_found": writes["found"],
                "lost_writes": writes["accepted"] - writes["found"],
                "stored_not_acknowledged": writes["unacknowledged"],
                "contended": writes["contended"],
                "verdict": verdict,
            },
            indent=1,
        )
    )


def main() -> int:
    parser, args = arguments()
    seeded = json.loads(args.people.read_text())
    people = seeded["people"][: args.staff]
    if len(people) < args.staff:
        parser.error(f"the people file has only {len(people)} staff; seed with --staff {args.staff}")
    run_id = uuid.uuid4().hex[:10]
    recorder = Recorder()
    clock = Clock(args.staff)
    staff_threads = [
        threading.Thread(
            target=staff_member,
            args=(person, args.password, run_id, args, recorder, clock, args.ramp * i / max(1, args.staff)),
            daemon=True,
        )
        for i, person in enumerate(people)
    ]
    reader_threads = [
        threading.Thread(target=reader, args=(args, recorder, clock, 2.0 * i / max(1, args.readers)), daemon=True)
        for i in range(args.readers)
    ]
    contention = contention_module.Contention(seeded.get("to_assure", []))
    leads = contended_threads(args, seeded, run_id, recorder, contention, clock) if args.contended else []
    if leads is None:
        return 1
    load_before = os.getloadavg()[0]
    print(
        f"load test {run_id}: {args.staff} staff sign in (arriving over {args.ramp:g} s), then {args.staff} staff "
        f"and {args.readers} anonymous readers for {args.duration:g} s (think {args.think:g} s) against "
        f"http://{args.host}:{args.port}/",
        flush=True,
    )
    ran = run(args, recorder, clock, contention, staff_threads, staff_threads + reader_threads + leads)
    load_after = os.getloadavg()[0]
    requests = report_requests(args, recorder, ran, load_before, load_after)
    writes = report_writes(args, seeded, run_id, recorder, contention)
    errors, accepted, found, contended = requests["errors"], writes["accepted"], writes["found"], writes["contended"]
    lost_total = accepted - found + contended.get("edits_lost", 0)
    double = contended.get("double_sign_offs", [])
    ok = errors == 0 and not writes["lost"] and lost_total == 0 and not double and accepted > 0
    verdict = "PASS" if ok else "FAIL"
    print(
        f"\n{verdict}: {errors} errors, {lost_total} lost writes, {len(double)} double sign-offs "
        "(the bar is zero of each)"
    )
    if args.json:
        write_json(args, run_id, recorder, ran, requests, writes, verdict, loads=(load_before, load_after))
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
