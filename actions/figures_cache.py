"""Staff pages' figures computed once per change rather than once per request (issue 15).

A selector wearing `@figures_cached` (or a fragment, or a value) is kept under a key made of the figures
generation (secamb_journey.generations: moved by database triggers on every write to a table figures
are read from, read by each process at most once a second), today's date (overdue and due soon change
at midnight with no write) and the selector's arguments (a model instance by its primary key). So a
write made anywhere is seen by every process within a second, with or without Redis, and with Redis
down (a miss). Figures that move with the clock within a day (stale: no progress for N days) may lag
by at most FIGURES_CACHE_SECONDS. A caller that passes `now` is never served from the cache.
"""

import functools
import hashlib
import inspect

from django.db import models
from django.utils import timezone

from secamb_journey.generations import cache_clear, cache_get, cache_set, current

# Long enough that a busy morning's dashboards are served from one computation per change, short
# enough that the clock-driven flags (stale) are never more than five minutes behind.
FIGURES_CACHE_SECONDS = 300


def forget_cached_figures() -> None:
    """Empty the caches (tests and benchmarks that count what computing the figures costs)."""
    cache_clear()


def figures_generation() -> str | None:
    """The current figures generation's token (None if its row is missing: nothing is cached then)."""
    return current("figures")


def _part(value) -> str:
    if isinstance(value, models.Model):
        return f"{value._meta.label_lower}={value.pk}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_part(v) for v in value) + "]"
    return repr(value)


def figures_key(name: str, token: str, today, kwargs: dict) -> str:
    args = ",".join(f"{k}:{_part(v)}" for k, v in sorted(kwargs.items()))
    # Hashed: arguments may hold spaces or be long (a caption, a query string), which some backends refuse.
    digest = hashlib.blake2b(args.encode(), digest_size=16).hexdigest()
    return f"figures:{name}:{token}:{today.isoformat()}:{digest}"


def figures_cached(selector=None, *, name: str | None = None):
    """Cache a keyword-only selector's result by figures generation, today's date and its arguments.

    A selector that takes `today` is given the date it is keyed by; one that takes `now` is served
    from the cache only when called without it. Today's date is part of every key either way.
    The result must pickle (Redis, and locmem, keep a pickled copy: a caller may change what it is
    given without changing what the next caller gets).
    """

    def decorate(selector):
        label = name or f"{selector.__module__}.{selector.__qualname__}"
        takes_today = "today" in inspect.signature(selector).parameters

        @functools.wraps(selector)
        def wrapper(**kwargs):
            if kwargs.get("now") is not None:
                return selector(**kwargs)
            token = figures_generation()
            if token is None:
                return selector(**kwargs)
            today = kwargs.pop("today", None) or timezone.localdate()
            kwargs.pop("now", None)
            key = figures_key(label, token, today, kwargs)
            result = cache_get(key)
            if result is None:
                result = selector(**kwargs, **({"today": today} if takes_today else {}))
                cache_set(key, result, FIGURES_CACHE_SECONDS)
            return result

        wrapper.uncached = selector
        return wrapper

    return decorate(selector) if selector is not None else decorate


def request_figures_generation(request) -> str | None:
    """The figures generation read once per request: a page with two cached parts (the action page's
    progress log and its history) looks it up once. Within one request both parts are then of the
    same generation, as if read together."""
    if request is None:
        return figures_generation()
    try:
        return request.secamb_figures_generation
    except AttributeError:
        request.secamb_figures_generation = figures_generation()
        return request.secamb_figures_generation


def _cached(kind: str, name: str, vary: dict, compute, request):
    """compute() once per figures generation, day and `vary`, then from the cache (computed afresh, and
    not kept, when the generation's row is missing)."""
    token = request_figures_generation(request)
    if token is None:
        return compute()
    key = figures_key(f"{kind}:{name}", token, timezone.localdate(), vary)
    value = cache_get(key)
    if value is None:
        value = compute()
        cache_set(key, value, FIGURES_CACHE_SECONDS)
    return value


def cached_fragment(name: str, vary: dict, render, *, request=None) -> str:
    """HTML that shows only what the figures generation covers, rendered by `render()` once per
    change (and per `vary`, and per day), then served from the cache. For a large part of a page
    whose data is cheaper to render again than to unpickle (the measures summary: 500 rows of
    charts' data unpickle slower than their HTML is served). Never for anything that differs by
    viewer, unless the viewer is in `vary` (a person's own list of actions).
    """
    return _cached("fragment", name, vary, lambda: str(render()), request)


def cached_value(name: str, vary: dict, compute, *, request=None):
    """A small value that only the figures generation covers (the records of one action's governance
    trail, the action on its own page), computed by `compute()` once per change (and per `vary`, and per
    day), then served from the cache. Pickled, as for @figures_cached: never a large value (see
    cached_fragment); None is never kept (computed again each time)."""
    return _cached("value", name, vary, compute, request)
