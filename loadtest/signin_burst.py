"""A shift change: N staff sign in within a minute, against gunicorn on 127.0.0.1 (issue 15).

For each password set-up asked for, a throwaway SQLite database (or the database DATABASE_URL names,
which must be a throwaway one) gets N action owners whose password is stored by that hasher, a
gunicorn (2 workers x 4 threads, as on a 2-core server) serves the product with that hasher first, and
N clients each sign in (GET the form, POST it) at a moment drawn uniformly within the window. Prints,
per set-up, successes and errors, the POST's median, 95th percentile and worst time, and the server's
CPU seconds per sign-in. Exit status 1 on any failed sign-in.

    .venv/bin/python -m loadtest.signin_burst                          # pbkdf2, pbkdf2->argon2, argon2
    .venv/bin/python -m loadtest.signin_burst --setups argon2 --users 100 --window 60

Set-ups: `pbkdf2` (Django's default: PBKDF2-SHA256, 1,000,000 iterations), `upgrade` (hashes stored by
PBKDF2, served with Argon2id first: the first shift change after deploying it, each sign-in verifies
PBKDF2 and re-hashes with Argon2id), `argon2` (secamb_journey.hashers.Argon2idPasswordHasher),
`argon2-django` (Django's Argon2 defaults: 100 MiB, 8 lanes).
"""

import argparse
import http.client
import json
import os
import random
import re
import resource
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = "127.0.0.1"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HASHERS = {
    "pbkdf2": "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "argon2": "secamb_journey.hashers.Argon2idPasswordHasher",
    "argon2-django": "django.contrib.auth.hashers.Argon2PasswordHasher",
}
# set-up -> (the hasher that stored the passwords, the hasher the server puts first)
SETUPS = {
    "pbkdf2": ("pbkdf2", "pbkdf2"),
    "upgrade": ("pbkdf2", "argon2"),
    "argon2": ("argon2", "argon2"),
    "argon2-django": ("argon2-django", "argon2-django"),
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def environment(database_url: str, port: int, server_hasher: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "loadtest.signin_settings",
        "SIGNIN_BURST_HASHER": HASHERS[server_hasher],
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": LOOPBACK,
        "SITE_URL": f"http://{LOOPBACK}:{port}",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "OTP_REQUIRED_FOR_PRIVILEGED": "false",
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }


SEED = """
import django, sys
django.setup()
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from secamb_journey.roles import Role
from reports.trust_profile import default_profile_load
default_profile_load()
User = get_user_model()
owners = Group.objects.get(name=Role.OWNER.label)
stored = make_password(sys.argv[1], hasher=sys.argv[3])
User.objects.filter(username__startswith="burst-").delete()
users = User.objects.bulk_create(
    [User(username=f"burst-{n:03d}", first_name="Burst", last_name=f"{n:03d}", password=stored)
     for n in range(int(sys.argv[2]))]
)
owners.user_set.add(*User.objects.filter(username__startswith="burst-"))
"""


def sign_in(port: int, username: str, password: str, timeout: float) -> tuple[bool, float, str]:
    """GET the form, POST it; (signed in?, seconds the POST took, what went wrong)."""
    conn = http.client.HTTPConnection(LOOPBACK, port, timeout=timeout)
    host = {"Host": f"{LOOPBACK}:{port}"}
    try:
        conn.request("GET", "/accounts/login/", headers=host)
        response = conn.getresponse()
        page = response.read().decode(errors="replace")
        cookies = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
        token = CSRF_INPUT.search(page)
        if response.status != 200 or not token:
            return False, 0.0, f"form: {response.status}"
        conn.close()
        conn = http.client.HTTPConnection(LOOPBACK, port, timeout=timeout)
        body = urlencode({"csrfmiddlewaretoken": token.group(1), "username": username, "password": password})
        started = time.perf_counter()
        conn.request(
            "POST",
            "/accounts/login/",
            body=body,
            headers={
                **host,
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": "; ".join(f"{k}={m.value}" for k, m in cookies.items()),
                "Referer": f"http://{LOOPBACK}:{port}/accounts/login/",
            },
        )
        response = conn.getresponse()
        response.read()
        took = time.perf_counter() - started
        signed_in = response.status == 302 and "sessionid=" in (response.getheader("Set-Cookie") or "")
        return signed_in, took, "" if signed_in else f"POST: {response.status}"
    except (OSError, http.client.HTTPException) as error:
        return False, 0.0, f"{type(error).__name__}: {error}"
    finally:
        conn.close()


def wait_for_sign_in_page(port: int, server) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            conn = http.client.HTTPConnection(LOOPBACK, port, timeout=5)
            conn.request("GET", "/accounts/login/", headers={"Host": f"{LOOPBACK}:{port}"})
            if conn.getresponse().status == 200:
                return
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("gunicorn did not start") from None
            time.sleep(0.2)


def burst(port: int, args) -> tuple[list[tuple[bool, float, str]], float]:
    """Every user signs in once, arriving at random over the window: the outcomes, and the seconds taken."""
    rng = random.Random(15)  # noqa: S311 -- arrival times, not secrets
    starts = sorted(rng.uniform(0, args.window) for _ in range(args.users))
    results: list[tuple[bool, float, str]] = []
    lock = threading.Lock()

    def person(n: int, delay: float, began: float):
        time.sleep(max(0.0, began + delay - time.monotonic()))
        outcome = sign_in(port, f"burst-{n:03d}", args.password, args.timeout)
        with lock:
            results.append(outcome)

    began = time.monotonic()
    threads = [threading.Thread(target=person, args=(n, d, began)) for n, d in enumerate(starts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.monotonic() - began


def run_setup(name: str, args, folder: Path) -> dict:
    stored_by, served_by = SETUPS[name]
    port = free_port()
    database_url = os.environ.get("DATABASE_URL") if args.use_database_url else f"sqlite:///{folder / 'burst.sqlite3'}"
    env = environment(database_url, port, served_by)
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)  # noqa: S603
    subprocess.run(  # noqa: S603
        [python, "-c", SEED, args.password, str(args.users), "default"],
        env={**env, "SIGNIN_BURST_HASHER": HASHERS[stored_by]},
        cwd=ROOT,
        check=True,
    )
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    server = subprocess.Popen(  # noqa: S603
        [python, "-m", "gunicorn", "secamb_journey.wsgi:application", "--bind", f"{LOOPBACK}:{port}"]
        + ["--workers", "2", "--threads", "4", "--worker-class", "gthread", "--timeout", "120"]
        + ["--error-logfile", str(folder / "gunicorn.log"), "--log-level", "warning"],
        env=env,
        cwd=ROOT,
    )
    try:
        wait_for_sign_in_page(port, server)
        results, wall = burst(port, args)
    finally:
        server.terminate()
        server.wait(timeout=30)
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
    times = sorted(t for ok, t, _ in results if ok)
    errors = [why for ok, _, why in results if not ok]
    return {
        "setup": name,
        "stored_by": HASHERS[stored_by],
        "served_by": HASHERS[served_by],
        "users": args.users,
        "window_seconds": args.window,
        "signed_in": len(times),
        "errors": len(errors),
        "error_samples": errors[:5],
        "post_median_s": round(statistics.median(times), 3) if times else None,
        "post_p95_s": round(times[int(0.95 * (len(times) - 1))], 3) if times else None,
        "post_max_s": round(times[-1], 3) if times else None,
        "wall_seconds": round(wall, 1),
        "server_cpu_seconds_per_sign_in": round(cpu / args.users, 3),
        "load_average": round(os.getloadavg()[0], 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setups", default="pbkdf2,upgrade,argon2", help="comma-separated: " + ", ".join(SETUPS))
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--window", type=float, default=60.0, help="seconds over which they arrive (60)")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--password", default="shift-change-" + secrets.token_hex(6))
    parser.add_argument("--use-database-url", action="store_true", help="DATABASE_URL's (throwaway) database")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    rows = []
    for name in args.setups.split(","):
        with tempfile.TemporaryDirectory(prefix="signin-burst-") as folder:
            print(f"signin_burst: {name}: {args.users} sign-ins within {args.window:.0f} s", file=sys.stderr)
            rows.append(run_setup(name.strip(), args, Path(folder)))
    print(f"{'set-up':<14} {'ok':>4} {'errors':>6} {'median s':>9} {'p95 s':>7} {'max s':>7} {'CPU s/sign-in':>14}")
    for r in rows:
        print(
            f"{r['setup']:<14} {r['signed_in']:>4} {r['errors']:>6} {r['post_median_s'] or 0:>9.3f} "
            f"{r['post_p95_s'] or 0:>7.3f} {r['post_max_s'] or 0:>7.3f} {r['server_cpu_seconds_per_sign_in']:>14.3f}"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2) + "\n")
    return 1 if any(r["errors"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
