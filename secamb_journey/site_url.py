"""Absolute addresses of this site, from settings.SITE_URL, never from the request's Host header.

A Host header is whatever the client sends (any name in ALLOWED_HOSTS, with any port): an address built
from it and then cached would send every later reader to the sender's host. So absolute URLs on public
pages, in the feed, open data and e-mails come from here, and public pages are cached only for requests
addressed to the configured host.
"""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path: str) -> str:
    """`/updates/` -> `https://improvement.secamb.nhs.uk/updates/` (SITE_URL, without a trailing slash, + path)."""
    return settings.SITE_URL.rstrip("/") + path


def _netloc(scheme: str, netloc: str) -> str:
    netloc = netloc.lower()
    default = {"http": ":80", "https": ":443"}.get(scheme, "")
    return netloc[: -len(default)] if default and netloc.endswith(default) else netloc


def is_site_host(request) -> bool:
    """Whether the request is addressed to the host (and port) of SITE_URL."""
    configured = urlsplit(settings.SITE_URL)
    return _netloc(configured.scheme, request.get_host()) == _netloc(configured.scheme, configured.netloc)
