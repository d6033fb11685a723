"""The public pages' cache: one generation (secamb_journey.generations, docs/adr/0007), and a fast path.

A rendered public page is kept under the public content generation (moved by database triggers on every
write to what a public page may read, read by each process at most once a second) and the page's path
and page number, in the shared cache with each process's own copy in front: a publication, withdrawal or
any change made by any process is served by every process within a second. Its ETag is the generation,
so a reader who holds it is answered 304 (by ConditionalGetMiddleware, or for a stored page by the
function it calls, before it); there is no Last-Modified (issue 28, finding 6: a render time is not
when the content changed).

Issue 15, the framework's floor: `PublicPageMiddleware` sits right after SecurityMiddleware. For an
anonymous GET or HEAD (no session or messages cookie) addressed to SITE_URL's host, of a path some
`@public_cache` view has stored in this process, it answers from one cache look-up before the session,
authentication, CSRF, messages, history and axes machinery runs. What it stores is the response as the
whole stack finished it (Set-Cookie never), so a page from the cache carries the same headers as one
rendered afresh.

Issue 28, finding 1: staff messages never reach the public. A request that carries a session or a
messages cookie is never answered from the cache, never stored and never marked public: it is rendered
afresh and marked `private, no-store`. A page rendered for the cache never shows messages (base.html
leaves them for the next page), and a response that showed one is never stored nor public. A query
string other than none or `page=<n>` is redirected to the page's canonical URL, as is a page number the
list does not have, so no made-up query string makes an entry here or in nginx's micro-cache.
"""

import functools
import re

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.cache import get_conditional_response

from secamb_journey import generations
from secamb_journey.site_url import is_site_host

# How long a page is kept (it is never served under another generation than its own).
PUBLIC_CACHE_SECONDS = 300

# Browsers and shared caches may keep a page but ask again before each use (`no-cache`): with the ETag
# the answer is a 304 from one cache look-up, and a withdrawal is never served from a browser's copy.
# Only nginx's micro-cache keeps a page without asking, for one second (deploy/nginx-public-cache-location.conf).
PUBLIC_CACHE_CONTROL = "public, no-cache"

# The paths this process has stored a page for: the fast path looks nothing up (not even the
# generation) for any other, so a sign-in page or a 404 costs it one set membership test.
_stored_paths: set[str] = set()


def _generation(request) -> str | None:
    """The public generation and today's date (pages say what is overdue), read at most once per request
    (the fast path and the decorator share it); None when the generation's row is missing."""
    if not hasattr(request, "public_generation"):
        token = generations.current("public")
        request.public_generation = token and f"{token}-{generations.today()}"
    return request.public_generation


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


def _key(token: str | None, request) -> str | None:
    page = _requested_page(request)
    return None if page is None or token is None else f"reports:public:{token}:{request.path}:{page}"


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


def _entry(response) -> tuple[bytes, tuple]:
    """What the cache keeps of a page: its body and headers (Set-Cookie is not among them: a cookie is
    one reader's, and the fast path answers without the session machinery that set it)."""
    return response.content, tuple(response.items())


def _from_entry(entry) -> HttpResponse:
    content, headers = entry
    return HttpResponse(content, headers=dict(headers))


# The request headers that can make a GET conditional (RFC 9110, section 13.1).
_CONDITIONS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE")


def _conditional(request, response):
    """A stored page, or 304 Not Modified for a reader who holds its ETag: what ConditionalGetMiddleware,
    which sits after PublicPageMiddleware, answers for a page it renders, by the function it calls. A GET
    with no condition (nearly every one) skips it: nothing in it could apply."""
    if request.method != "GET" or not any(name in request.META for name in _CONDITIONS):
        return response
    return get_conditional_response(request, etag=response["ETag"], response=response)


def _mark_cacheable(response, token: str) -> None:
    del response["Last-Modified"]  # the feed's (its newest entry's) would not tell a withdrawal
    response["ETag"] = f'"{token}"'
    response["Cache-Control"] = PUBLIC_CACHE_CONTROL


def public_cache(view):
    """Cache an anonymous visitor's successful GET of a public page, keyed by the content generation.

    Signed-in staff are never served from the cache: their header differs (their name, their links).
    Nor is a request with a session or messages cookie: it is rendered afresh, `private, no-store`.
    `PublicPageMiddleware` stores what the view rendered and serves it from then on.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _eligible(request) or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if _personal(request):
            response = view(request, *args, **kwargs)
            _keep_private(response)
            return response
        if _requested_page(request) is None:  # a made-up query string: the page's own URL, nothing stored
            return HttpResponseRedirect(_canonical_for_query(request))
        token = _generation(request)
        key = _key(token, request)
        entry = generations.cache_get(key) if key else None
        if entry is not None:
            _stored_paths.add(request.path)
            return _from_entry(entry)
        # base.html shows no messages on a page rendered for the cache (they wait for the next page).
        request.public_cache_page = True
        response = view(request, *args, **kwargs)
        if _has_messages(request):  # never stored nor public (base.html shows none here, but a view may)
            _keep_private(response)
            return response
        rendered = getattr(request, "public_cache_rendered_page", None)
        if _requested_page(request) not in ("", str(rendered)) and response.status_code == 200:
            return HttpResponseRedirect(_canonical_url(request, rendered))
        if key and response.status_code == 200 and not getattr(response, "streaming", False):
            _mark_cacheable(response, token)
            response.public_cache_key = key  # stored by PublicPageMiddleware as the whole stack finished it
        return response

    return wrapper


class PublicPageMiddleware:
    """Serve a stored public page to an anonymous reader before the session machinery runs.

    Only a request with no session or messages cookie and no query string but a page number, for a path
    this process has stored, costs a look-up (the generation, at most once a second, and one cache get).
    On a miss it lets the request through, and if the view is cached (`@public_cache`) it stores the
    response as the inner middleware finished it, headers and all, for the next reader. Any response
    that showed a message, from whichever view, leaves `private, no-store` and is never stored.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path in _stored_paths and not _personal(request) and _eligible(request):
            key = _key(_generation(request), request)
            entry = generations.cache_get(key) if key is not None else None
            if entry is not None:
                return _conditional(request, _from_entry(entry))
        response = self.get_response(request)
        if _has_messages(request):
            _keep_private(response)
            return response
        key = getattr(response, "public_cache_key", None)
        if isinstance(key, str) and response.status_code == 200 and not _personal(request):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            generations.cache_set(key, _entry(response), PUBLIC_CACHE_SECONDS)
            _stored_paths.add(request.path)
        return response
