"""The cache of public pages, the generation that makes it correct across processes, and the fast path.

Rendered pages are kept in each web process's own memory (the "public_pages" cache), keyed by the
public content generation: one row in the database (reports.models.PublicContentGeneration) whose token
changes in the same transaction as any write to a published update. Reading it is one primary-key
look-up per anonymous request (on PostgreSQL, none: each process keeps it in memory, told of changes by
NOTIFY; see secamb_journey.generation_watch); in exchange, a publication or withdrawal made by any process is seen by
every other process at its next request, with or without Redis, and with Redis down. (The generation
used to live in the cache itself: without Redis each process had its own, and with Redis down it fell
back to a constant, so other processes served withdrawn updates until their pages expired.)

Issue 15, the framework's floor: `PublicPageMiddleware` sits right after SecurityMiddleware and
WhiteNoise. For an anonymous GET or HEAD (no session cookie) addressed to SITE_URL's host, of a path some
`@public_cache` view has stored, it answers from one cache look-up (plus the generation's one PK query)
before the session, authentication, CSRF, messages, history and axes machinery runs. What it stores is
the response as the whole stack finished it (CSP, X-Frame-Options, Vary and every other header the
inner middleware adds, Set-Cookie never), so a page from the cache carries the same headers as one
rendered afresh; SecurityMiddleware, outside it, adds its own to both. A view joins the fast path by
wearing `@public_cache` (nothing else to register): /plan/ and /performance/ do the same.

HTTP caching: every cached public response carries a strong `ETag` (a digest of its body),
`Last-Modified` (when the public content generation last moved, or for pages that follow the live
record, when the page was rendered) and `Cache-Control: public, max-age=PUBLIC_MAX_AGE`, and a
conditional GET that matches is answered `304 Not Modified`.
"""

import copy
import hashlib
import uuid
from datetime import datetime

from django.conf import settings
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.http.cookie import SimpleCookie
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe

from measures.models import Measure, MeasureValue, Recalculation
from reports.models import PublicContentGeneration, PublishedUpdate
from secamb_journey import generation_watch
from secamb_journey.generation import generation_row
from secamb_journey.site_url import is_site_host

# Long enough to spare the database under a rush of readers, short enough that open data (which
# follows the live record, not a publication) is never more than this many seconds behind.
PUBLIC_CACHE_SECONDS = 300

# What browsers and shared caches (nginx's micro-cache, a CDN) may keep without asking again: a
# withdrawal reaches every reader within this many seconds, well inside the minute issue 15 allows.
PUBLIC_MAX_AGE = 30

# Headers that are never stored with a page: a cookie is one reader's, and the fast path answers
# without the session machinery that set it.
_NEVER_STORED = {"set-cookie"}

# The paths this process has stored a page for: the fast path looks nothing up (not even the
# generation) for any other, so a sign-in page or a 404 costs it one set membership test.
_stored_paths: set[str] = set()


# PostgreSQL's channel for changes of the generation (reports.public_triggers sends on it): each web
# process keeps the row in memory instead of reading it per request (secamb_journey.generation_watch).
GENERATION_CHANNEL = "secamb_public_generation"
generation_watch.watch(PublicContentGeneration, GENERATION_CHANNEL)


def _generation_row() -> tuple[str, datetime | None]:
    return generation_row(PublicContentGeneration) or ("none", None)


def public_cache_generation() -> str:
    """The current generation of public content; part of every public cache key."""
    return _generation_row()[0]


def public_cache_clear() -> None:
    """Move public content to a new generation: every process's cached public pages stop being served.

    Inside a transaction, the change is seen by others when (and only if) that transaction commits.
    """
    token, now = uuid.uuid4().hex, timezone.now()
    # One transaction even for a caller in autocommit: the writer's LISTEN for the watchers'
    # acknowledgements then takes effect with the change itself, so no acknowledgement can come first
    # and be missed (which cost the writer a whole lease).
    with transaction.atomic():
        if not PublicContentGeneration.objects.filter(pk=1).update(token=token, changed_at=now):
            try:  # the row is made by migration; a flushed test database may lack it
                with transaction.atomic():
                    PublicContentGeneration.objects.create(pk=1, token=token, changed_at=now)
            except IntegrityError:  # another process made it meanwhile: move it on
                PublicContentGeneration.objects.filter(pk=1).update(token=token, changed_at=now)
        # PostgreSQL: once committed, wait until every process's watcher has read the change (or its
        # lease has run out), so that the writer's next request, to whichever process, is served it.
        generation_watch.wait_for_watchers_after_commit(PublicContentGeneration, GENERATION_CHANNEL)


@receiver(post_save, sender=PublishedUpdate, dispatch_uid="reports.public_cache.saved")
@receiver(post_delete, sender=PublishedUpdate, dispatch_uid="reports.public_cache.deleted")
def _published_update_changed(sender, **kwargs):
    # Any save of an update, by whichever writer (the services, the admin, a history revert), in the
    # writer's own transaction. Drafts are saved too, which costs only a few re-rendered pages.
    public_cache_clear()


@receiver(post_save, sender=Measure, dispatch_uid="reports.public_cache.measure_saved")
@receiver(post_delete, sender=Measure, dispatch_uid="reports.public_cache.measure_deleted")
@receiver(post_save, sender=MeasureValue, dispatch_uid="reports.public_cache.value_saved")
@receiver(post_delete, sender=MeasureValue, dispatch_uid="reports.public_cache.value_deleted")
@receiver(post_save, sender=Recalculation, dispatch_uid="reports.public_cache.recalculation_saved")
@receiver(post_delete, sender=Recalculation, dispatch_uid="reports.public_cache.recalculation_deleted")
def _measure_changed(sender, **kwargs):
    # /performance/ and the measures' open data are cached public pages too: a measure made internal,
    # or a value corrected, is seen by the next request to any process.
    public_cache_clear()


def _generation(request) -> tuple[str, datetime | None]:
    """The generation, read at most once per request (the fast path and the decorator share it)."""
    cached = getattr(request, "_public_generation", None)
    if cached is None:
        cached = request._public_generation = _generation_row()
    return cached


def _key(token: str, request) -> str:
    # Only the `page` parameter is part of the key, so made-up query strings cannot flood the cache. (No
    # query string, the usual case, is not parsed into request.GET: that cost the fast path more than
    # the look-up it keys.)
    page = request.GET.get("page", "")[:8] if request.META.get("QUERY_STRING") else ""
    return f"reports:public:{token}:{request.path}:{page}"


def _eligible(request) -> bool:
    """An anonymous reader's GET or HEAD, addressed to the configured host (issue 11: a request for
    another host is answered afresh and never stored, whatever it makes of the Host header)."""
    return request.method in ("GET", "HEAD") and is_site_host(request)


# The request headers that make a GET conditional (If-None-Match and If-Modified-Since for a 304, the
# others for a 412): without any of them the stored response is the answer as it is.
_CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")


def _entry(response, *, complete: bool) -> tuple[HttpResponse, bool]:
    """What the cache keeps of a page: a bare response with its body and headers (Set-Cookie never), so
    a reader is answered with a shallow copy of it rather than a response rebuilt header by header."""
    stored = HttpResponse(response.content)
    for name, value in response.items():
        if name.lower() not in _NEVER_STORED:
            stored[name] = value
    return stored, complete


def _own_copy(stored: HttpResponse) -> HttpResponse:
    """A response of the request's own: the stored one is shared by every reader (the "public_pages" cache
    keeps objects, not pickles), and the middleware outside this one sets headers on what it is given."""
    response = copy.copy(stored)
    response.headers = copy.copy(stored.headers)
    response.headers._store = stored.headers._store.copy()
    response.cookies = SimpleCookie()
    response._resource_closers = []
    return response


def _from_entry(request, entry) -> HttpResponse:
    response = _own_copy(entry[0])
    if not any(header in request.META for header in _CONDITIONAL_HEADERS):
        return response
    # 304 when the reader's copy (If-None-Match, else If-Modified-Since) is this one.
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=_parse_last_modified(response.get("Last-Modified")),
        response=response,
    )


def _parse_last_modified(value):
    return parse_http_date_safe(value) if value else None


def _mark_cacheable(response, *, last_modified: datetime) -> None:
    """The HTTP caching headers of a public page: its ETag, Last-Modified and Cache-Control."""
    response["ETag"] = '"' + hashlib.blake2b(response.content, digest_size=12).hexdigest() + '"'
    response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"


def public_cache(view=None, *, live: bool = False):
    """Cache an anonymous visitor's successful GET of a public page, keyed by the content generation.

    `live=True` for a page that follows the live record rather than a publication (the home page's
    progress, open data): its Last-Modified is when it was rendered, not when the generation moved.
    Signed-in staff are never served from the cache: their header differs (their name, their links).
    The view stores what it renders; `PublicPageMiddleware` serves it from then on, before the session
    machinery (an anonymous reader who has a session cookie is served here, after it).
    """

    def decorate(view):
        def wrapper(request, *args, **kwargs):
            if not _eligible(request) or request.user.is_authenticated:
                return view(request, *args, **kwargs)
            token, changed_at = _generation(request)
            key = _key(token, request)
            pages = caches["public_pages"]
            entry = pages.get(key)
            if entry is not None:
                return _from_entry(request, entry)
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not getattr(response, "streaming", False):
                if hasattr(response, "render") and callable(response.render):
                    response.render()
                rendered = timezone.now().replace(microsecond=0)
                _mark_cacheable(response, last_modified=rendered if live or changed_at is None else changed_at)
                # Stored here with the view's own headers (served by this decorator to a reader the fast
                # path let through), and again by PublicPageMiddleware as the whole stack finished it: only
                # that complete entry is served by the fast path, so no header is ever missing from it.
                response.public_cache_key = key
                pages.set(key, _entry(response, complete=False), PUBLIC_CACHE_SECONDS)
                _stored_paths.add(request.path)
            return response

        wrapper.__name__ = getattr(view, "__name__", type(view).__name__)
        wrapper.__doc__ = getattr(view, "__doc__", None)
        wrapper.__wrapped__ = view
        return wrapper

    return decorate(view) if view is not None else decorate


class PublicPageMiddleware:
    """Serve a stored public page to an anonymous reader before the session machinery runs.

    Placed right after SecurityMiddleware and WhiteNoise. Only a request with no session cookie, for a
    path this process has stored, costs a look-up: the generation (one PK query) and one cache get.
    On a miss it lets the request through, and if the view stored the page (`@public_cache`) it stores
    again the response as the inner middleware finished it, headers and all, for the next reader.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        fast = (
            request.path in _stored_paths and settings.SESSION_COOKIE_NAME not in request.COOKIES and _eligible(request)
        )
        if fast:
            entry = caches["public_pages"].get(_key(_generation(request)[0], request))
            if entry is not None and entry[1]:
                return _from_entry(request, entry)
        response = self.get_response(request)
        key = getattr(response, "public_cache_key", None)
        if isinstance(key, str) and response.status_code == 200:
            caches["public_pages"].set(key, _entry(response, complete=True), PUBLIC_CACHE_SECONDS)
        return response
