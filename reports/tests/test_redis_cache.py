"""The Redis cache backend (secamb_journey.cache.ForgivingRedisCache) against a real redis-server: one
redis.Redis client per connection pool, kept between operations, and Redis going away is a miss."""

from secamb_journey.cache import ForgivingRedisCache


def _cache(url: str) -> ForgivingRedisCache:
    return ForgivingRedisCache(url, {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}})


def test_values_round_trip_through_one_client_kept_between_operations(redis):
    cache = _cache(redis.url)
    cache.set("k", {"figures": [1, 2, 3]}, 60)
    assert cache.get("k") == {"figures": [1, 2, 3]}
    client = cache._cache.get_client("k")
    assert cache._cache.get_client("other", write=True) is client
    assert cache.get_many(["k", "missing"]) == {"k": {"figures": [1, 2, 3]}}
    assert cache._cache.get_client("k") is client


def test_redis_stopping_under_a_kept_client_is_a_miss_not_an_error(redis):
    cache = _cache(redis.url)
    cache.set("k", "v", 60)
    assert cache.get("k") == "v"
    redis.stop()
    assert cache.get("k", "fallback") == "fallback"
    assert cache.set("k", "w", 60) is None
    redis.start()  # the same port again: the kept client reconnects through its pool
    cache.set("k", "again", 60)
    assert cache.get("k") == "again"
