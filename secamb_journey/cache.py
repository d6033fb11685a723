"""Cache backends: a Redis cache that treats Redis being down as a cache miss, so pages still serve, and
each process's own memory without pickling, for the public pages' fast path.

The cache only ever spares the database (public pages, the public-page generation key); nothing
is stored only there. Django's own RedisCache raises redis.ConnectionError on every call when Redis
is down, which would turn every cached public page into a 500. This backend logs the failure (once a
minute at most, so a long outage does not flood the log) and answers as if the key were absent.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

_LOG_EVERY_SECONDS = 60
_last_logged = 0.0


def _log_once_a_minute(operation: str, error: Exception) -> None:
    global _last_logged
    now = time.monotonic()
    if now - _last_logged >= _LOG_EVERY_SECONDS:
        _last_logged = now
        logger.warning("Cache unavailable (%s failed: %s); serving without it", operation, error)


class _OneClientPerPool(RedisCacheClient):
    """Django's client makes a new redis.Redis for every operation, and redis-py builds its table of
    about 170 response callbacks in each one: a third of a millisecond per cache look-up, five of them
    on a staff page. A redis.Redis is safe to share between threads (its pool hands out connections),
    and after a fork its pool starts afresh, so one per pool is kept."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None or client.connection_pool is not pool:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ForgivingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _OneClientPerPool

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError as error:
            _log_once_a_minute("get", error)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except RedisError as error:
            _log_once_a_minute("get_many", error)
            return {}

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set(key, value, timeout, version)
        except RedisError as error:
            _log_once_a_minute("set", error)
            return None

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except RedisError as error:
            _log_once_a_minute("add", error)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except RedisError as error:
            _log_once_a_minute("delete", error)
            return False

    def clear(self):
        try:
            return super().clear()
        except RedisError as error:
            _log_once_a_minute("clear", error)
            return False


class ProcessMemoryCache(LocMemCache):
    """Each process's memory, like LocMemCache, but values are kept as the objects they are, not pickled,
    and keys are not checked for memcached (they never go there).

    For the public pages (reports.public_cache), whose fast path answers a request from one look-up:
    unpickling a stored response and checking the key's characters were a tenth of what a request cost.
    Only for values that no reader changes: the fast path hands each request its own copy.
    """

    def validate_key(self, key):
        return None

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._set(key, value, timeout)
                return True
            return False

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._delete(key)
                return default
            self._cache.move_to_end(key, last=False)
            return self._cache[key]

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            self._set(key, value, timeout)

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._delete(key)
                raise ValueError(f"Key '{key}' not found")
            value = self._cache[key] = self._cache[key] + delta
            self._cache.move_to_end(key, last=False)
        return value
