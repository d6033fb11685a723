"""Staff pages with and without the figures cache, interleaved in one process (issue 15).

On the bench's data set (var/bench/bench.sqlite3, built by `manage.py bench`), each staff page is
requested in turns with Django's "default" cache as configured (locmem: what the figures cache
keeps) and with its caches cleared just before (every figure computed and every cached fragment
rendered, as before the figures cache, plus the cost of storing them). Interleaving puts both under
the same load on a shared machine, so their ratio means more than either time. Prints the medians in ms and the ratio.

    .venv/bin/python -m loadtest.staff_figures_ab --rounds 15
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "secamb_journey.settings.base",
    "DEBUG": "false",
    "SECRET_KEY": "staff-figures-ab-" + "x" * 40,
    "ALLOWED_HOSTS": "testserver",
    "SITE_URL": "http://testserver",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "OTP_REQUIRED_FOR_PRIVILEGED": "false",
    "LOG_LEVEL": "WARNING",
    "MEDIA_ROOT": str(ROOT / "var" / "bench" / "media"),
    "CELERY_TASK_ALWAYS_EAGER": "true",
}


def timed(client, url) -> float:
    started = time.perf_counter()
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return (time.perf_counter() - started) * 1000


def compare(rounds: int) -> None:
    """Each of the bench's staff pages, computed and cached in turns: the medians and their ratio."""
    from django.core.cache import caches
    from django.test import Client

    from benchmarks.dataset import personas, staff_paths

    clients = {}
    for who, user in personas().items():
        clients[who] = Client()
        clients[who].force_login(user)
    print(f"{'page':26} {'computed ms':>12} {'cached ms':>10} {'faster':>7}")
    for name, url, who in staff_paths():
        client = clients[who]
        timed(client, url)  # warm: the cache holds the figures, the templates are compiled
        computed, cached = [], []
        for _ in range(rounds):
            for alias in ("default", "local"):
                caches[alias].clear()
            computed.append(timed(client, url))
            cached.append(timed(client, url))
        a, b = statistics.median(computed), statistics.median(cached)
        print(f"{name:26} {a:12.1f} {b:10.1f} {a / b:6.1f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--database", default=str(ROOT / "var" / "bench" / "bench.sqlite3"))
    args = parser.parse_args()
    os.environ.update(ENVIRONMENT, DATABASE_URL=f"sqlite:///{args.database}")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    compare(args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
