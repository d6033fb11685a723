"""Absolute addresses of this site, from settings.SITE_URL, never from the request's Host header.

A Host header is whatever the client sends (any name in ALLOWED_HOSTS, with any port): an address built
from it and then cached would send every later reader to the sender's host. So absolute URLs on public
pages, in the feed, open data and e-mails come from here, and public pages are cached only for requests
addressed to the configured host.
"""

from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path: str) -> str:
    """`/updates/` -> `https://improvement.secamb.nhs.uk/updates/` (SITE_URL, without a trailing slash, + path)."""
    return settings.SITE_URL.rstrip("/") + path


def _netloc(scheme: str, netloc: str) -> str:
    netloc = netloc.lower()
    default = {"http": ":80", "https": ":443"}.get(scheme, "")
    return netloc[: -len(default)] if default and netloc.endswith(default) else netloc


@lru_cache(maxsize=8)
def _site(site_url: str) -> tuple[str, str]:
    configured = urlsplit(site_url)
    return configured.scheme, _netloc(configured.scheme, configured.netloc)


def is_site_host(request) -> bool:
    """Whether the request is addressed to the host (and port) of SITE_URL.

    The Host header as sent is compared first: when it is SITE_URL's host it is the host get_host() would
    return (without X-Forwarded-Host), so the public pages' fast path is spared get_host()'s checks
    against ALLOWED_HOSTS. Any other host goes through get_host(), which refuses one not allowed."""
    scheme, expected = _site(settings.SITE_URL)
    sent = request.META.get("HTTP_HOST")
    if sent is not None and not settings.USE_X_FORWARDED_HOST and _netloc(scheme, sent) == expected:
        return True
    return _netloc(scheme, request.get_host()) == expected
