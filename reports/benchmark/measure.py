"""The benchmark's tools (`manage.py bench`): timed requests, a bounded load client for loopback, the table.

Also the bench-only URLconf: the product's URLs plus /bench/trivial/, a view that returns a fixed
string through the whole middleware stack. Its time is the framework's floor on this machine, and
every page is reported as a multiple of it. The bench switches to this URLconf with override_settings
for the test-client measurements only; the product never routes to it.
"""

import http.client
import statistics
import threading
import time
from dataclasses import asdict, dataclass, field

from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import include, path

# Load is only ever sent here: the bench must never be pointed at someone else's server.
LOOPBACK = "127.0.0.1"


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/trivial/", trivial),
    path("", include("secamb_journey.urls")),
]
handler403 = "secamb_journey.views.permission_denied"
handler404 = "secamb_journey.views.page_not_found"
handler500 = "secamb_journey.views.server_error"


def percentile(samples: list[float], fraction: float) -> float:
    """The `fraction` percentile by linear interpolation between the closest ranks (numpy's default)."""
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    rank = fraction * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class PageTiming:
    """One page kind as one persona sees it: times in milliseconds, and the queries of one request."""

    name: str
    path: str
    persona: str
    kind: str  # "trivial", "public" (cache cold), "public-cached" (warm), "staff", "board"
    status: int
    queries: int
    bytes: int
    samples_ms: list[float] = field(default_factory=list)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95_ms(self) -> float:
        return percentile(self.samples_ms, 0.95)

    def as_dict(self, trivial_median_ms: float) -> dict:
        data = asdict(self)
        data.update(
            median_ms=round(self.median_ms, 3),
            p95_ms=round(self.p95_ms, 3),
            ratio_to_trivial=round(self.median_ms / trivial_median_ms, 2) if trivial_median_ms else None,
            samples_ms=[round(s, 3) for s in self.samples_ms],
        )
        return data


def time_page(client, url: str, *, name: str, persona: str, kind: str, repetitions: int, before_each=None):
    """Request `url` once to count its queries (and warm whatever a first request warms), then
    `repetitions` times with the clock running and no query capture (capturing costs time too).

    `before_each` runs before every request, outside the clock: the public pages' cold measurement
    clears the cache there.
    """
    if before_each:
        before_each()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    content = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    if response.status_code != 200:
        raise RuntimeError(f"{name}: GET {url} as {persona} answered {response.status_code}, not 200")
    timing = PageTiming(
        name=name,
        path=url,
        persona=persona,
        kind=kind,
        status=response.status_code,
        queries=len(captured),
        bytes=len(content),
    )
    for _ in range(repetitions):
        if before_each:
            before_each()
        started = time.perf_counter()
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        timing.samples_ms.append((time.perf_counter() - started) * 1000)
    return timing


def time_call(function, *, repetitions: int) -> list[float]:
    """Milliseconds for each of `repetitions` calls of `function`."""
    samples = []
    for _ in range(repetitions):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


@dataclass
class LoadResult:
    path: str
    concurrency: int
    requests: int
    errors: int
    seconds: float
    requests_per_second: float
    median_ms: float
    p95_ms: float


def load(*, port: int, path: str, concurrency: int, max_requests: int, max_seconds: float) -> LoadResult:
    """Send GET `path` to 127.0.0.1:`port` from `concurrency` threads until `max_requests` answers or
    `max_seconds` have passed, whichever comes first. Each thread keeps one connection (http.client
    reopens it when the server closes it, as gunicorn's sync workers do after each response).
    """
    lock = threading.Lock()
    issued = 0
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + max_seconds

    def worker():
        nonlocal issued, errors
        conn = http.client.HTTPConnection(LOOPBACK, port, timeout=30)
        try:
            while time.monotonic() < deadline:
                with lock:
                    if issued >= max_requests:
                        return
                    issued += 1
                started = time.perf_counter()
                try:
                    conn.request("GET", path, headers={"Host": LOOPBACK})
                    response = conn.getresponse()
                    response.read()
                    ok = response.status == 200
                except (OSError, http.client.HTTPException):
                    conn.close()
                    ok = False
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    if ok:
                        latencies.append(elapsed)
                    else:
                        errors += 1
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - started
    return LoadResult(
        path=path,
        concurrency=concurrency,
        requests=len(latencies),
        errors=errors,
        seconds=round(seconds, 2),
        requests_per_second=round(len(latencies) / seconds, 1) if seconds else 0.0,
        median_ms=round(statistics.median(latencies), 2) if latencies else 0.0,
        p95_ms=round(percentile(latencies, 0.95), 2) if latencies else 0.0,
    )


def wait_for_server(*, port: int, path: str, seconds: float, process) -> None:
    """Until 127.0.0.1:`port` answers `path` with 200; raises if the process dies or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with code {process.returncode} before answering")
        try:
            conn = http.client.HTTPConnection(LOOPBACK, port, timeout=5)
            conn.request("GET", path, headers={"Host": LOOPBACK})
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {path} with 200 within {seconds:.0f} s")
