"""A real nginx (Debian's package) in front of the bench's gunicorn, with the public micro-cache of
deploy/nginx-public-cache-*.conf, so the bench reports public pages as production serves them.

Everything lives in a temporary folder and nginx listens on a free port of 127.0.0.1 only; it is
stopped when the `with` block ends, whatever happens.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from string import Template

from django.conf import settings

from benchmarks.dataset import free_port
from benchmarks.measure import stop

DEPLOY = Path(settings.BASE_DIR) / "deploy"


def nginx_available() -> bool:
    return shutil.which("nginx") is not None


@contextlib.contextmanager
def nginx_in_front(upstream_port: int):
    """Start nginx proxying to 127.0.0.1:`upstream_port`; yields the port it listens on."""
    prefix = Path(tempfile.mkdtemp(prefix="secamb-bench-nginx-"))
    port = free_port()
    http_part = (DEPLOY / "nginx-public-cache-http.conf").read_text()
    (prefix / "public-cache-http.conf").write_text(http_part.replace("/var/cache/nginx/secamb", str(prefix / "cache")))
    conf = Template((DEPLOY / "nginx-bench.conf.template").read_text()).safe_substitute(
        # As root, workers would otherwise run as `nobody`, who may not enter the temporary folder.
        USER_DIRECTIVE="user root;" if os.geteuid() == 0 else "",
        PREFIX=prefix,
        PORT=port,
        UPSTREAM_PORT=upstream_port,
        STATIC_ROOT=settings.STATIC_ROOT,
        REPO=settings.BASE_DIR,
    )
    (prefix / "nginx.conf").write_text(conf)
    process = subprocess.Popen(  # noqa: S603 -- a fixed argument list
        [shutil.which("nginx"), "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"nginx exited: {process.stderr.read().decode(errors='replace')[-500:]}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
            if time.monotonic() > deadline:
                raise RuntimeError("nginx did not listen within 10 s")
            time.sleep(0.1)
        yield port
    finally:
        stop(process, seconds=10)
        shutil.rmtree(prefix, ignore_errors=True)
