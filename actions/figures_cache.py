"""Staff pages' figures computed once per change rather than once per request (issue 15).

A selector wearing `@figures_cached` keeps its result in Django's "default" cache (Redis in
production, each process's own memory without it) under a key made of:

- the figures generation (actions.models.FiguresGeneration): one row in the database whose token is
  moved by triggers in the same transaction as every write to a table figures are read from
  (actions.figures_triggers), by whatever path and in whatever process. Reading it is one primary-key
  look-up, the same as the public pages' generation (secamb_journey.generation.generation_row);
- today's date, as figures such as overdue and due soon change at midnight with no write at all;
- the selector's arguments (a model instance by its primary key).

Each process also keeps what it has read in its own memory for LOCAL_SECONDS ("figures_local"), in
front of the shared cache: an entry never changes under its key (the key names the generation), so
this spares a round trip to Redis (a tenth of a millisecond to half of one, six on an action's page)
without being any less correct. The shared cache keeps an entry LOCAL_SECONDS less, so no entry is
served older than FIGURES_CACHE_SECONDS.

So a write made anywhere (a web worker, the Celery worker, a management command, the admin, an
import) is seen by the next request to any process, with or without Redis, and with Redis down (the
cache is then a miss: ForgivingRedisCache). The cache is never the source of truth: an entry is only
ever found again under the generation it was computed for.

Figures that move with the clock within a day (stale: no progress for N days, counted to the minute)
may lag by at most FIGURES_CACHE_SECONDS, as may a person's name in a list (names are not part of
the generation beyond first/last name and active flag, which are). A caller that passes `now` asks
for a given moment and is never served from the cache.
"""

import functools
import hashlib
import inspect
import logging
import pickle

from django.core.cache import caches
from django.db import models
from django.utils import timezone

from actions.models import FiguresGeneration
from secamb_journey.generation import generation_row

logger = logging.getLogger(__name__)

# Long enough that a busy morning's dashboards are served from one computation per change, short
# enough that the clock-driven flags (stale) are never more than five minutes behind.
FIGURES_CACHE_SECONDS = 300
CACHE_ALIAS = "default"
LOCAL_ALIAS = "figures_local"
LOCAL_SECONDS = 30


def _cache_get(key: str):
    """From this process's memory, else from the shared cache (and then kept in memory too)."""
    local = caches[LOCAL_ALIAS]
    kept = local.get(key)
    if kept is not None:
        # A fragment is a str, which no caller can change; anything else is kept pickled, so each caller
        # is given its own copy (as from the shared cache).
        return kept if isinstance(kept, str) else pickle.loads(kept)  # noqa: S301 -- written by _keep below
    value = caches[CACHE_ALIAS].get(key)
    if value is not None:
        _keep(key, value)
    return value


def _cache_set(key: str, value) -> None:
    caches[CACHE_ALIAS].set(key, value, FIGURES_CACHE_SECONDS - LOCAL_SECONDS)
    _keep(key, value)


def forget_cached_figures() -> None:
    """Empty both tiers (tests and benchmarks that count what computing the figures costs)."""
    caches[CACHE_ALIAS].clear()
    caches[LOCAL_ALIAS].clear()


def _keep(key: str, value) -> None:
    kept = value if isinstance(value, str) else pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    caches[LOCAL_ALIAS].set(key, kept, LOCAL_SECONDS)


def figures_generation() -> str | None:
    """The current figures generation's token (None if its row is missing: nothing is cached then)."""
    row = generation_row(FiguresGeneration)
    return row[0] if row else None


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
            result = _cache_get(key)
            if result is None:
                result = selector(**kwargs, **({"today": today} if takes_today else {}))
                _cache_set(key, result)
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
    value = _cache_get(key)
    if value is None:
        value = compute()
        _cache_set(key, value)
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
