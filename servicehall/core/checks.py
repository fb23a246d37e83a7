from django.conf import settings
from django.core.checks import Error, register

# Caches a process keeps to itself: each worker would count rate limits on its own.
_PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register()
def shared_rate_limit_cache_check(app_configs, **kwargs):
    """Rate limits, login counters and SMS limits live in the default cache. In production a
    per-process cache would divide every limit by the number of workers (and forget it on
    restart), so production settings require REDIS_URL instead of silently weakening them."""
    if not getattr(settings, "RATE_LIMITS_NEED_SHARED_CACHE", False):
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in _PER_PROCESS_CACHES:
        return [
            Error(
                f"The default cache is {backend}: rate limits would be counted per process.",
                hint="Set REDIS_URL so that rate limits and lockouts are shared by every worker.",
                id="core.E001",
            )
        ]
    return []
