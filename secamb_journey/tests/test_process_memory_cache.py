"""secamb_journey.cache.ProcessMemoryCache: LocMemCache's behaviour, values kept as objects."""

import time

import pytest

from secamb_journey.cache import ProcessMemoryCache


@pytest.fixture
def cache(request):
    cache = ProcessMemoryCache(f"test-{request.node.name}", {"OPTIONS": {"MAX_ENTRIES": 3, "CULL_FREQUENCY": 3}})
    yield cache
    cache.clear()


def test_a_value_is_kept_as_the_object_it_is(cache):
    value = {"body": b"<html>"}
    cache.set("page", value, 60)
    assert cache.get("page") is value
    assert cache.get("missing", "default") == "default"
    assert cache.add("page", "other") is False and cache.get("page") is value
    assert cache.add("new", "v") is True and cache.get("new") == "v"


def test_expiry_culling_and_counting_behave_as_locmem(cache, monkeypatch):
    cache.set("short", 1, 1)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 5)
    assert cache.get("short") is None and not cache.has_key("short")
    monkeypatch.undo()
    for n in range(5):
        cache.set(f"k{n}", n, 60)
    assert len(cache._cache) <= 3  # MAX_ENTRIES
    cache.set("count", 1, 60)
    assert cache.incr("count", 2) == 3 and cache.get("count") == 3
    with pytest.raises(ValueError, match="not found"):
        cache.incr("absent")
