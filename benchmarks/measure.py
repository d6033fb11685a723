"""The benchmark's tools (`manage.py bench`): timed requests, a bounded load client for loopback, the table.

Also the bench-only URLconf: the product's URLs plus /bench/trivial/, a view that returns a fixed
string through the whole middleware stack. Its time is the framework's floor on this machine, and
every page is reported as a multiple of it. The bench switches to this URLconf with override_settings
for the test-client measurements only; the product never routes to it.
"""

import http.client
import re
import shutil
import statistics
import subprocess
import threading
import time
from dataclasses import asdict, dataclass, field, replace

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
    bytes_per_second: float = 0.0
    client: str = "threads"
    site: str = "product"  # "product", "trivial" (the floor) or "nginx" (the product behind nginx)
    # The floor's requests per second around this measurement (the mean of the one before and after).
    floor_requests_per_second: float | None = None
    # Measured in slices interleaved with the floor's: each slice's requests per second over the mean of
    # the floor's slices just before and just after it (see paired_ratios).
    slice_ratios: list[float] | None = None


def paired_ratios(page_slices: list[LoadResult], floor_slices: list[LoadResult]) -> list[float]:
    """page slice i against the floor's slices i and i + 1 (the floor is measured once more than the page,
    before and after each slice): a burst of load from elsewhere that hits one slice spoils one ratio,
    and the median of the ratios ignores it, where a sum over the slices would not."""
    ratios = []
    for i, page in enumerate(page_slices):
        around = (floor_slices[i].requests_per_second + floor_slices[i + 1].requests_per_second) / 2
        ratios.append(round(page.requests_per_second / around, 3) if around else 0.0)
    return ratios


def share_of_floor(result: dict) -> float | None:
    """A page's requests per second as a share of the floor's: the median of its paired slice ratios."""
    ratios = result.get("slice_ratios")
    return statistics.median(ratios) if ratios else None


def combined(slices: list[LoadResult]) -> LoadResult:
    """Slices of one measurement as one: requests over the slices' total time (so a slice under more
    load counts for its share, no more), the median of their medians, the worst 95th percentile."""
    requests = sum(r.requests for r in slices)
    seconds = sum(r.seconds for r in slices)
    read = sum(r.bytes_per_second * r.seconds for r in slices)
    return replace(
        slices[0],
        requests=requests,
        errors=sum(r.errors for r in slices),
        seconds=round(seconds, 2),
        requests_per_second=round(requests / seconds, 1) if seconds else 0.0,
        median_ms=round(statistics.median(r.median_ms for r in slices), 2),
        p95_ms=max(r.p95_ms for r in slices),
        bytes_per_second=round(read / seconds) if seconds else 0.0,
    )


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


_UNITS = {"": 1, "K": 1e3, "M": 1e6, "G": 1e9, "KB": 1024, "MB": 1024**2, "GB": 1024**3, "B": 1}


def _scaled(number: str, unit: str) -> float:
    return float(number) * _UNITS.get(unit, 1)


def _ms(number: str, unit: str) -> float:
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def load_wrk(*, port: int, path: str, connections: int, seconds: float) -> LoadResult:
    """Debian's `wrk` (2 threads, `connections` connections) against 127.0.0.1:`port` for `seconds`.

    A C client, so the client is not what limits the rate (the thread-pool client in this process, on
    a 2-core machine, is: it cannot tell a fast page from the framework's floor).
    """
    out = subprocess.run(  # noqa: S603 -- a fixed argument list, loopback only
        [shutil.which("wrk"), "-t2", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency"]
        + [f"http://{LOOPBACK}:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    done = re.search(r"(\d+) requests in ([\d.]+)(\w+), ([\d.]+)(\w*) read", out)
    requests, took, took_unit = int(done.group(1)), float(done.group(2)), done.group(3)
    elapsed = took * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[took_unit]
    read = _scaled(done.group(4), done.group(5))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(bad.group(1)) if bad else 0) + (
        sum(int(g) for g in socket_errors.groups()) - int(socket_errors.group(2)) if socket_errors else 0
    )
    # gunicorn's sync workers close the connection after each answer: wrk counts that as a read error,
    # which is why read errors are not errors here (a wrong status is, and so is a refused connection).
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s|m)\b", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s|m)\b", out)
    return LoadResult(
        path=path,
        concurrency=connections,
        requests=requests,
        errors=errors,
        seconds=round(elapsed, 2),
        requests_per_second=round(requests / elapsed, 1) if elapsed else 0.0,
        median_ms=round(_ms(*p50.groups()), 2) if p50 else 0.0,
        # wrk prints 50/75/90/99: the 99th stands in for the 95th.
        p95_ms=round(_ms(*p99.groups()), 2) if p99 else 0.0,
        bytes_per_second=round(read / elapsed) if elapsed else 0.0,
        client="wrk",
    )


def load(*, port: int, path: str, concurrency: int, max_requests: int, max_seconds: float) -> LoadResult:
    """Send GET `path` to 127.0.0.1:`port` from `concurrency` threads until `max_requests` answers or
    `max_seconds` have passed, whichever comes first. Each thread keeps one connection (http.client
    reopens it when the server closes it, as gunicorn's sync workers do after each response).
    """
    lock = threading.Lock()
    issued = 0
    latencies: list[float] = []
    sizes: list[int] = []
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
                    conn.request("GET", path, headers={"Host": f"{LOOPBACK}:{port}"})
                    response = conn.getresponse()
                    received = len(response.read())
                    ok = response.status == 200
                except (OSError, http.client.HTTPException):
                    conn.close()
                    ok = False
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    if ok:
                        latencies.append(elapsed)
                        sizes.append(received)
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
        bytes_per_second=round(sum(sizes) / seconds) if seconds else 0.0,
    )


def wait_for_server(*, port: int, path: str, seconds: float, process) -> None:
    """Until 127.0.0.1:`port` answers `path` with 200; raises if the process dies or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with code {process.returncode} before answering")
        try:
            conn = http.client.HTTPConnection(LOOPBACK, port, timeout=5)
            conn.request("GET", path, headers={"Host": f"{LOOPBACK}:{port}"})
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {path} with 200 within {seconds:.0f} s")


def stop(process, *, seconds: float) -> None:
    """Ask a server to stop; kill it if it has not stopped within `seconds`."""
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
