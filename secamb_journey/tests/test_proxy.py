"""The production set-up, for real: nginx (deploy/nginx.conf) in front of gunicorn (gunicorn.conf.py),
both started here on free loopback ports. Slow clients cannot take the site down through it (issue 18:
four sockets trickling header lines stalled a bare gunicorn), and no response names the server software.
"""

import contextlib
import http.client
import os
import shutil
import signal
import socket
import string
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVER_NAME = "improvement.example.nhs.uk"
NGINX = shutil.which("nginx", path=os.environ.get("PATH", "") + os.pathsep + "/usr/sbin")
MODULES = Path("/usr/lib/nginx/modules")

pytestmark = [
    pytest.mark.proxy,
    pytest.mark.skipif(
        (NGINX is None or not (MODULES / "ngx_http_headers_more_filter_module.so").exists())
        and not os.environ.get("CI"),
        reason="needs Debian's nginx and libnginx-mod-http-headers-more-filter (scripts/install-system-packages.sh)",
    ),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# The two app servers of deploy/nginx.conf's upstream (issue 29).
APP_SERVERS = ("server 10.0.1.11:8000 ", "server 10.0.1.12:8000 ")


def render_site_conf(*, listen_port: int, upstream_ports: tuple[int, int], prefix: Path, static_root: Path) -> str:
    """deploy/nginx.conf with its address, upstream and paths swapped for the test's (each must be
    found exactly once, so a change to the file that the test no longer matches fails loudly). Its two
    app servers become upstream_ports (the same port twice for a single gunicorn).
    """
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    # The micro-cache's http {} part, with its cache folder under the test's prefix (issue 15).
    http_part = (ROOT / "deploy" / "nginx-public-cache-http.conf").read_text()
    cache_path = "proxy_cache_path /var/cache/nginx/secamb "
    assert http_part.count(cache_path) == 1
    http_part = http_part.replace(cache_path, f"proxy_cache_path {prefix / 'cache'} ")
    (prefix / "public-cache-http.conf").write_text(http_part)
    swaps = {
        "listen 80;": f"listen 127.0.0.1:{listen_port};",
        **{server: f"server 127.0.0.1:{port} " for server, port in zip(APP_SERVERS, upstream_ports, strict=True)},
        "/var/log/nginx/secamb.access.log": str(prefix / "access.log"),
        "/srv/secamb/staticfiles/": f"{static_root}/",
        "/srv/secamb/deploy/nginx-public-cache-http.conf": str(prefix / "public-cache-http.conf"),
        "/srv/secamb/deploy/nginx-public-cache-location.conf": str(
            ROOT / "deploy" / "nginx-public-cache-location.conf"
        ),
    }
    for old, new in swaps.items():
        assert text.count(old) == 1, f"deploy/nginx.conf should contain {old!r} once"
        text = text.replace(old, new)
    return text


def fetch(port: int, path: str, *, method: str = "GET", timeout: float = 5, headers=None, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def _wait_until_up(port: int, proc: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}")
        try:
            if fetch(port, "/healthz", timeout=2)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not answer on port {port}")


def stop_process(proc: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def start_nginx(prefix: Path, upstream_ports: tuple[int, int]) -> tuple[subprocess.Popen, int]:
    """nginx with deploy/nginx.conf in front of upstream_ports, everything under `prefix`: the process,
    and the port it listens on (once it answers /healthz through the upstream)."""
    for folder in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / folder).mkdir(parents=True, exist_ok=True)
    proxy_port = _free_port()
    site_conf = render_site_conf(
        listen_port=proxy_port, upstream_ports=upstream_ports, prefix=prefix, static_root=ROOT / "static"
    )
    (prefix / "site.conf").write_text(site_conf)
    main = string.Template((ROOT / "deploy" / "nginx-test.conf.template").read_text())
    user = "user root;" if os.geteuid() == 0 else ""
    (prefix / "nginx.conf").write_text(main.substitute(PREFIX=prefix, MODULES=MODULES, USER_DIRECTIVE=user))
    nginx = subprocess.Popen(  # noqa: S603 -- fixed arguments, loopback only
        [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_up(proxy_port, nginx, "nginx")
    except RuntimeError:
        stop_process(nginx, signal.SIGQUIT)
        raise
    return nginx, proxy_port


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The nginx port, with gunicorn behind it: one worker of two threads, so that two stuck requests
    would be enough to starve it if nginx let them through.
    """
    prefix = tmp_path_factory.mktemp("nginx")
    app_port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "secamb_journey.settings.test",
        "DEBUG": "false",
        "ALLOWED_HOSTS": f"{SERVER_NAME},127.0.0.1",
        "DATABASE_URL": f"sqlite:///{prefix / 'db.sqlite3'}",
        "LOG_LEVEL": "WARNING",
    }
    # Every page reads the trust profile (its names are data, issue 30): the site's tables must exist.
    subprocess.run(  # noqa: S603 -- fixed arguments
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    gunicorn = subprocess.Popen(  # noqa: S603 -- fixed arguments, loopback only
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{app_port}"]
        + ["--workers", "1", "--threads", "2", "secamb_journey.wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(prefix / "gunicorn.log", "w"),  # noqa: SIM115 -- the child owns it
    )
    nginx = None
    try:
        _wait_until_up(app_port, gunicorn, "gunicorn")
        nginx, proxy_port = start_nginx(prefix, (app_port, app_port))
        yield proxy_port
    finally:
        if nginx is not None:
            stop_process(nginx, signal.SIGQUIT)
        stop_process(gunicorn)


def _slowloris(port: int, sockets: int, seconds: float, closed: list) -> None:
    """Open `sockets` connections and send a request one header line every 3 seconds."""
    conns = []
    for _ in range(sockets):
        conn = socket.create_connection(("127.0.0.1", port), timeout=1)
        conn.sendall(b"GET /accessibility/ HTTP/1.1\r\nHost: " + SERVER_NAME.encode() + b"\r\n")
        conns.append(conn)
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        time.sleep(3)
        n += 1
        for conn in conns:
            try:
                conn.sendall(f"X-Slow-{n}: still here\r\n".encode())
            except OSError:
                pass
    for conn in conns:
        try:
            conn.settimeout(0.5)
            answer = conn.recv(64)
            closed.append(answer == b"" or answer.startswith(b"HTTP/1.1 408"))
        except OSError:
            closed.append(True)
        finally:
            conn.close()


def test_slow_clients_cannot_starve_the_site_through_the_proxy(site):
    closed: list[bool] = []
    attack = threading.Thread(target=_slowloris, args=(site, 8, 13, closed))
    attack.start()
    time.sleep(1)
    timings = []
    while attack.is_alive():
        started = time.monotonic()
        status, _, body = fetch(site, "/accessibility/", timeout=5)
        timings.append(time.monotonic() - started)
        assert status == 200 and b"Accessibility" in body
        time.sleep(0.5)
    attack.join()
    median = sorted(timings)[len(timings) // 2]
    print(f"\n{len(timings)} reads during the attack: slowest {max(timings):.2f} s, median {median:.2f} s")
    assert len(timings) >= 10
    assert max(timings) < 3  # a normal reader is served as usual
    # nginx dropped the trickling connections itself (client_header_timeout), none reached gunicorn.
    assert closed and all(closed)


def test_no_response_names_the_server_software(site):
    for method, path in (("GET", "/"), ("HEAD", "/healthz"), ("GET", "/no-such-page/"), ("GET", "/static/css/")):
        status, headers, _ = fetch(site, path, method=method)
        lowered = {name.lower(): value.lower() for name, value in headers.items()}
        assert "server" not in lowered, (path, headers)
        assert "x-powered-by" not in lowered
        assert not any(word in value for value in lowered.values() for word in ("nginx", "gunicorn", "python"))
    assert fetch(site, "/healthz", method="HEAD")[0] == 200


def test_static_files_are_served_by_the_proxy_with_a_long_cache_life(site):
    name = next(p.name for p in (ROOT / "static" / "css").iterdir() if p.suffix == ".css")
    status, headers, body = fetch(site, f"/static/css/{name}")
    assert status == 200 and body == (ROOT / "static" / "css" / name).read_bytes()
    assert "immutable" in headers["Cache-Control"]
    assert "Content-Security-Policy" not in headers  # nginx's answer: Django never saw the request


def test_a_body_over_the_proxys_limit_is_refused_before_it_reaches_the_app(site):
    status, headers, _ = fetch(
        site,
        "/accounts/login/",
        method="POST",
        body=b"x" * (13 * 1024 * 1024),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 413


def test_the_proxy_runs_the_public_micro_cache_and_never_stores_a_page_the_app_did_not_mark_public(site):
    # deploy/nginx.conf includes deploy/nginx-public-cache-*.conf (issue 15): nginx reports what its
    # cache did, and a page without `Cache-Control: public` reaches the app every time.
    statuses = [fetch(site, "/accessibility/")[1].get("X-Cache-Status") for _ in range(2)]
    assert statuses == ["MISS", "MISS"]


def _stand_in_app_server(name: str, health: dict) -> ThreadingHTTPServer:
    """An app server that names itself in every answer, its /healthz answering health["status"]; on
    /broken it drops the connection unanswered, as a worker killed mid-request (or timed out) would."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802 -- the standard library's name
            if self.path == "/broken":
                self.close_connection = True
                return
            body = name.encode()
            self.send_response(health["status"] if self.path == "/healthz" else 200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@contextlib.contextmanager
def _two_stand_in_app_servers(prefix: Path, health: dict):
    """nginx (deploy/nginx.conf) in front of two stand-in app servers, A and B: its port."""
    servers = [_stand_in_app_server(name, health) for name in ("A", "B")]
    nginx = None
    try:
        nginx, port = start_nginx(prefix, tuple(server.server_address[1] for server in servers))
        yield port
    finally:
        if nginx is not None:
            stop_process(nginx, signal.SIGQUIT)
        for server in servers:
            server.shutdown()
            server.server_close()


def test_a_failing_health_check_through_the_proxy_takes_neither_app_server_out(tmp_path):
    """/healthz answers 503 while Redis is down, which the pages survive: nginx hands the 503 to the
    monitor and counts it against neither server, so both go on serving pages (issue 29)."""
    health = {"status": 200}
    with _two_stand_in_app_servers(tmp_path, health) as port:
        health["status"] = 503
        probes = [fetch(port, "/healthz")[0] for _ in range(4)]
        pages = [fetch(port, "/page") for _ in range(6)]
    assert probes == [503] * 4
    assert [status for status, _, _ in pages] == [200] * 6
    assert {body for _, _, body in pages} == {b"A", b"B"}


def test_a_page_failing_on_both_app_servers_does_not_leave_the_proxy_without_a_server(tmp_path):
    """A request both servers fail (dropped, or past the read timeout: failures in nginx's count) is
    answered 502, but the servers stay in: one such request must not take the whole site down for 10 s
    (max_fails=3; with nginx's default of 1, the two attempts mark both servers failed)."""
    with _two_stand_in_app_servers(tmp_path, {"status": 200}) as port:
        broken = fetch(port, "/broken")[0]
        pages = [fetch(port, "/page")[0] for _ in range(4)]
    assert broken == 502
    assert pages == [200] * 4
