"""`make run` starts quietly (issue 27): a process starting Django does not log "AXES: BEGIN" (make run
starts five), and a local run's system packages leave out what only deployment and the tests use."""

import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_starting_django_does_not_log_axes_begin():
    env = {**os.environ, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "secamb_journey.settings.base"}
    env.pop("AXES_VERBOSE", None)
    started = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert started.returncode == 0, started.stderr
    assert "AXES: BEGIN" not in started.stdout + started.stderr


def test_a_local_run_installs_no_nginx_redis_or_browser():
    script = (Path(settings.BASE_DIR) / "scripts" / "install-system-packages.sh").read_text()
    run_only = re.search(r'if \[ "\$only_run" = true \]; then\n\s+packages=\(([^)]*)\)', script)
    assert run_only, "install-system-packages.sh has no --run package list"
    packages = run_only.group(1).split()
    assert not {"nginx", "libnginx-mod-http-headers-more-filter", "redis-server", "chromium"} & set(packages)
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
    assert re.search(r"^run: setup-run$", makefile, re.M)
    assert "install-system-packages.sh --run" in makefile
