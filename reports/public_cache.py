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
`Cache-Control: public, max-age=PUBLIC_MAX_AGE` and, for a page of a publication, `Last-Modified` (when
the public content generation last moved); a conditional GET that matches is answered `304 Not
Modified`. A page that follows the live record has no Last-Modified (issue 28, finding 6): the time it
was rendered, to the second, is not when its content changed, and an action made internal within that
second was answered 304 to a reader holding the copy that showed it. Its ETag is exact.

Issue 28, finding 1: staff messages never reach the public. A request that carries a session or a
messages cookie is never answered from the cache, never stored and never marked public: it is rendered
afresh and marked `private, no-store` (a messages cookie replayed after signing out used to put "Evidence
attached: <the file's name>" in the page stored for every reader). A page rendered for the cache never
shows messages (base.html leaves them for the next page), and a response that showed one is never stored
nor public. Only the page a view really rendered is stored: a query string other than none or
`page=<n>` is redirected to the page's canonical URL, as is a page number the list does not have, so no
made-up query string makes an entry here or in nginx's micro-cache.
"""

import copy
import hashlib
import re
import uuid
from datetime import datetime

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseRedirect
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


# The one query string a cached page may have besides none: a page number as the list's links write it.
_PAGE_NUMBER = r"[1-9][0-9]{0,5}"
_PAGE_QUERY = re.compile(rf"page=({_PAGE_NUMBER})")


def _requested_page(request) -> str | None:
    """The page number of a canonical query string ("" for none), or None for any other query string
    (a made-up parameter, a page that is not a number, `page=01`, two pages): that is redirected, never
    stored. Read from the raw query string, so the fast path parses nothing for the usual request."""
    query = request.META.get("QUERY_STRING", "")
    if not query:
        return ""
    match = _PAGE_QUERY.fullmatch(query)
    return match.group(1) if match else None


def _key(token: str, request) -> str | None:
    page = _requested_page(request)
    return None if page is None else f"reports:public:{token}:{request.path}:{page}"


def _canonical_url(request, page: int | None) -> str:
    return request.path if page is None or page == 1 else f"{request.path}?page={page}"


def _canonical_for_query(request) -> str:
    """The URL of a request whose query string is not canonical: its page number if it gives one well
    written (`?page=2&utm_source=x` is page 2), else the page itself."""
    pages = request.GET.getlist("page")
    wanted = int(pages[0]) if len(pages) == 1 and re.fullmatch(_PAGE_NUMBER, pages[0]) else None
    return _canonical_url(request, wanted)


def rendered_page(request, *, number: int) -> None:
    """Say which page of a paged list a view rendered: a request for another page number (`?page=99999`
    of a list of three pages, answered with the third) is redirected to that page's own URL, not stored.
    (A view of an app that may not import this one sets `request.public_cache_rendered_page` itself.)"""
    request.public_cache_rendered_page = number


def _eligible(request) -> bool:
    """An anonymous reader's GET or HEAD, addressed to the configured host (issue 11: a request for
    another host is answered afresh and never stored, whatever it makes of the Host header)."""
    return request.method in ("GET", "HEAD") and is_site_host(request)


# The cookies that make a request one person's: a session (even an anonymous one), or messages waiting
# to be shown (Django's cookie storage of messages, signed, and replayable after signing out).
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name)


def _personal(request) -> bool:
    return any(name in request.COOKIES for name in PERSONAL_COOKIES)


def _has_messages(request) -> bool:
    """Whether the request has messages, shown by the page or waiting (the messages machinery may not
    have run: the fast path answers before it)."""
    return len(get_messages(request)) > 0


def _keep_private(response) -> None:
    response["Cache-Control"] = "private, no-store"


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


def _mark_cacheable(response, *, last_modified: datetime | None) -> None:
    """The HTTP caching headers of a public page: its ETag, Last-Modified (when known exactly) and
    Cache-Control."""
    response["ETag"] = '"' + hashlib.blake2b(response.content, digest_size=12).hexdigest() + '"'
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"


def public_cache(view=None, *, live: bool = False):
    """Cache an anonymous visitor's successful GET of a public page, keyed by the content generation.

    `live=True` for a page that follows the live record rather than a publication (the home page's
    progress, open data): it has no Last-Modified, since the generation's time is not when it changed.
    Signed-in staff are never served from the cache: their header differs (their name, their links).
    Nor is a request with a session or messages cookie: it is rendered afresh, `private, no-store`.
    The view stores what it renders; `PublicPageMiddleware` serves it from then on, before the session
    machinery.
    """

    def decorate(view):
        def wrapper(request, *args, **kwargs):
            if not _eligible(request) or request.user.is_authenticated:
                return view(request, *args, **kwargs)
            if _personal(request):
                response = view(request, *args, **kwargs)
                _keep_private(response)
                return response
            token, changed_at = _generation(request)
            key = _key(token, request)
            if key is None:  # a made-up query string: the page's own URL instead, nothing stored
                return HttpResponseRedirect(_canonical_for_query(request))
            pages = caches["public_pages"]
            entry = pages.get(key)
            if entry is not None:
                return _from_entry(request, entry)
            # base.html shows no messages on a page rendered for the cache (they wait for the next page).
            request.public_cache_page = True
            response = view(request, *args, **kwargs)
            if _has_messages(request):  # never stored nor public (base.html shows none here, but a view may)
                _keep_private(response)
                return response
            rendered = getattr(request, "public_cache_rendered_page", None)
            if _requested_page(request) not in ("", str(rendered)) and response.status_code == 200:
                return HttpResponseRedirect(_canonical_url(request, rendered))
            if response.status_code == 200 and not getattr(response, "streaming", False):
                if hasattr(response, "render") and callable(response.render):
                    response.render()
                _mark_cacheable(response, last_modified=None if live else changed_at)
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

    Placed right after SecurityMiddleware and WhiteNoise. Only a request with no session or messages
    cookie and no query string but a page number, for a path this process has stored, costs a look-up:
    the generation (one PK query) and one cache get. On a miss it lets the request through, and if the
    view stored the page (`@public_cache`) it stores again the response as the inner middleware finished
    it, headers and all, for the next reader. Any response that showed a message, from whichever view,
    leaves `private, no-store` and is never stored.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path in _stored_paths and not _personal(request) and _eligible(request):
            key = _key(_generation(request)[0], request)
            entry = caches["public_pages"].get(key) if key is not None else None
            if entry is not None and entry[1]:
                return _from_entry(request, entry)
        response = self.get_response(request)
        if _has_messages(request):
            _keep_private(response)
            return response
        key = getattr(response, "public_cache_key", None)
        if isinstance(key, str) and response.status_code == 200 and not _personal(request):
            caches["public_pages"].set(key, _entry(response, complete=True), PUBLIC_CACHE_SECONDS)
        return response
