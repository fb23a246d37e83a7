"""Production refuses a per-process cache for rate limits (core.E001) instead of running with
limits that each worker counts on its own."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from servicehall.core.checks import shared_rate_limit_cache_check

ROOT = Path(__file__).resolve().parents[3]
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                     "LOCATION": "redis://127.0.0.1:6379/5"}}


def test_a_per_process_cache_is_an_error_where_limits_must_be_shared(settings):
    settings.RATE_LIMITS_NEED_SHARED_CACHE = True
    settings.CACHES = LOCMEM
    assert [error.id for error in shared_rate_limit_cache_check(None)] == ["core.E001"]
    settings.CACHES = REDIS
    assert shared_rate_limit_cache_check(None) == []


def test_development_and_tests_may_keep_local_memory(settings):
    settings.RATE_LIMITS_NEED_SHARED_CACHE = False
    settings.CACHES = LOCMEM
    assert shared_rate_limit_cache_check(None) == []


def _production_check(**extra) -> subprocess.CompletedProcess:
    environment = {
        key: value for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="servicehall.settings.production",
        DJANGO_SECRET_KEY="check-" + "s" * 60,
        FIELD_ENCRYPTION_KEYS="check:" + "0f" * 32,
        DJANGO_ALLOWED_HOSTS="hall.example.gov.cn",
        **extra,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=environment,
        capture_output=True, text=True, timeout=120,
    )


@pytest.mark.parametrize(
    ("extra", "fails"), [({}, True), ({"REDIS_URL": "redis://127.0.0.1:6379/5"}, False)],
    ids=["without-redis", "with-redis"],
)
def test_production_settings_fail_the_checks_without_redis(extra, fails):
    result = _production_check(**extra)
    assert ("core.E001" in result.stderr) is fails, result.stderr
    assert (result.returncode != 0) is fails
