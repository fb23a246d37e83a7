"""Fixed-window counters in the cache (local memory, or Redis when REDIS_URL is set)."""

import time

from django.core.cache import cache


def _key(scope: str, ident: str, window: int) -> str:
    bucket = int(time.time()) // window
    return f"rl:{scope}:{ident}:{bucket}"


def count(scope: str, ident: str, *, window: int) -> int:
    return cache.get(_key(scope, ident, window), 0)


def hit(scope: str, ident: str, *, limit: int, window: int) -> bool:
    """Count one event; True while the count is within `limit` for this window."""
    key = _key(scope, ident, window)
    cache.add(key, 0, timeout=window + 1)
    try:
        current = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        current = 1
    return current <= limit


def seconds_until_next_window(window: int) -> int:
    return window - int(time.time()) % window
