"""The README's nginx micro-cache (deploy/nginx-public-cache-*.conf), run in Debian's nginx in front of a
counting upstream: it stores what the app marks public, never what is private or sets a cookie, and a
request with a session or messages cookie goes past it. The bench runs the same files (issue 15).
"""

import http.client
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage

from benchmarks.nginx import nginx_in_front

pytestmark = pytest.mark.skipif(shutil.which("nginx") is None, reason="needs Debian's nginx")

HEADERS = {
    "/public": [("Cache-Control", "public, max-age=30")],
    "/private": [("Cache-Control", "private, no-store")],
    "/unmarked": [],
    "/cookie": [("Cache-Control", "public, max-age=30"), ("Set-Cookie", "csrftoken=abc; Path=/")],
}


@pytest.fixture
def upstream():
    hits: dict[str, int] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802 -- the standard library's name
            hits[self.path] = hits.get(self.path, 0) + 1
            body = f"{self.path} #{hits[self.path]}".encode()
            self.send_response(200)
            for name, value in HEADERS[self.path]:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], hits
    finally:
        server.shutdown()
        server.server_close()


def get(port: int, path: str, cookie: str | None = None) -> tuple[bytes, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    assert response.status == 200
    return body, response.getheader("X-Cache-Status") or ""


def test_a_public_page_is_answered_by_nginx_after_the_first_request(upstream):
    port, hits = upstream
    with nginx_in_front(port) as front:
        first, status = get(front, "/public")
        assert status == "MISS"
        for _ in range(3):
            again, status = get(front, "/public")
            assert (again, status) == (first, "HIT")
    assert hits["/public"] == 1


@pytest.mark.parametrize("path", ["/private", "/unmarked", "/cookie"])
def test_what_the_app_did_not_mark_public_or_that_sets_a_cookie_is_never_stored(upstream, path):
    port, hits = upstream
    with nginx_in_front(port) as front:
        bodies = {get(front, path)[0] for _ in range(3)}
    assert hits[path] == 3 and len(bodies) == 3


@pytest.mark.parametrize("cookie", ["sessionid=abc", "csrftoken=x; sessionid=abc", "messages=m"])
def test_a_request_with_a_session_or_messages_cookie_goes_past_the_cache(upstream, cookie):
    port, hits = upstream
    with nginx_in_front(port) as front:
        get(front, "/public")
        body, status = get(front, "/public", cookie=cookie)
        assert status == "BYPASS"
        assert body == b"/public #2"
        assert get(front, "/public", cookie="csrftoken=x")[1] == "HIT"


# Issue 28: the cookie names are the app's own (Django's session cookie and its messages cookie), and
# Django reads a name with blanks round it as that name, so nginx must too.
SESSION, MESSAGES = settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name


@pytest.mark.parametrize(
    "cookie",
    [
        f"{MESSAGES}=m",
        f"csrftoken=x; {MESSAGES}=m",
        f"{MESSAGES} =m",
        f"csrftoken=x;{MESSAGES}\t= m",
        f"{SESSION} =abc",
    ],
)
def test_the_answer_to_a_request_with_a_session_or_messages_cookie_is_never_stored(upstream, cookie):
    # A messages cookie replayed after signing out, on a page nginx has no copy of: the answer (which
    # showed the message) must not be what the next anonymous reader gets.
    port, hits = upstream
    with nginx_in_front(port) as front:
        held, status = get(front, "/public", cookie=cookie)
        assert status == "BYPASS"
        assert held == b"/public #1"
        body, status = get(front, "/public")
        assert status == "MISS"
        assert body == b"/public #2"
    assert hits["/public"] == 2
