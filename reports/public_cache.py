"""The cache of public pages, and the generation that makes it correct across processes.

Rendered pages are kept in each web process's own memory (the "public_pages" cache), keyed by the
public content generation: one row in the database (reports.models.PublicContentGeneration) whose token
changes in the same transaction as any write to a published update. Reading it is one primary-key
look-up per anonymous request; in exchange, a publication or withdrawal made by any process is seen by
every other process at its next request, with or without Redis, and with Redis down. (The generation
used to live in the cache itself: without Redis each process had its own, and with Redis down it fell
back to a constant, so other processes served withdrawn updates until their pages expired.)
"""

import functools
import uuid

from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils import timezone

from measures.models import Measure, MeasureValue, Recalculation
from reports.models import PublicContentGeneration, PublishedUpdate
from secamb_journey.site_url import is_site_host

# Long enough to spare the database under a rush of readers, short enough that open data (which
# follows the live record, not a publication) is never more than this many seconds behind.
PUBLIC_CACHE_SECONDS = 300


def public_cache_generation() -> str:
    """The current generation of public content; part of every public cache key."""
    token = PublicContentGeneration.objects.filter(pk=1).values_list("token", flat=True).first()
    return token or "none"


def public_cache_clear() -> None:
    """Move public content to a new generation: every process's cached public pages stop being served.

    Inside a transaction, the change is seen by others when (and only if) that transaction commits.
    """
    token, now = uuid.uuid4().hex, timezone.now()
    if PublicContentGeneration.objects.filter(pk=1).update(token=token, changed_at=now):
        return
    try:  # the row is made by migration; a flushed test database may lack it
        with transaction.atomic():
            PublicContentGeneration.objects.create(pk=1, token=token, changed_at=now)
    except IntegrityError:  # another process made it meanwhile: move it on
        PublicContentGeneration.objects.filter(pk=1).update(token=token, changed_at=now)


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


def public_cache(view):
    """Cache an anonymous visitor's successful GET of a public page, keyed by the content generation.

    Signed-in staff are never served from the cache: their header differs (their name, their links).
    Only the `page` parameter is part of the key, so made-up query strings cannot flood the cache.
    A request addressed to another host than SITE_URL's (any name in ALLOWED_HOSTS, any port) is answered
    afresh and never stored, so whatever it makes of the Host header cannot reach other readers.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET" or request.user.is_authenticated or not is_site_host(request):
            return view(request, *args, **kwargs)
        key = f"reports:public:{public_cache_generation()}:{request.path}:{request.GET.get('page', '')[:8]}"
        pages = caches["public_pages"]
        cached = pages.get(key)
        if cached is not None:
            content, headers = cached
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not getattr(response, "streaming", False):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            headers = {k: v for k, v in response.items() if k.lower() in ("content-type", "content-disposition")}
            pages.set(key, (response.content, headers), PUBLIC_CACHE_SECONDS)
        return response

    return wrapper
