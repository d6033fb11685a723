"""A Redis cache that treats Redis being down as a cache miss, so pages still serve.

The cache only ever spares the database (public pages, the public-page generation key); nothing
is stored only there. Django's own RedisCache raises redis.ConnectionError on every call when Redis
is down, which would turn every cached public page into a 500. This backend logs the failure (once a
minute at most, so a long outage does not flood the log) and answers as if the key were absent.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
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


class ForgivingRedisCache(RedisCache):
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
