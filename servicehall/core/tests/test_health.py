"""/healthz says the process answers and asks nothing else; /readyz says whether the node can serve
(database, storage, Redis, the queue), 503 naming what is down, quickly, never cached, never a
session; both answer a load balancer's plain-HTTP probe under the production settings."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1
LIVE_REDIS = "redis://127.0.0.1:6379/0"
RQ = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_healthz_answers_without_the_database_the_cache_or_a_session(
        client, settings, django_assert_num_queries):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": DEAD_REDIS}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    assert not response.cookies


def test_readyz_with_everything_up(client, settings, media):
    settings.REDIS_URL = LIVE_REDIS
    settings.TASKS = RQ
    settings.RQ_QUEUES = {"default": {"URL": LIVE_REDIS}}
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    checks = response.json()
    assert set(checks.values()) == {"OK"}
    assert [name.split("(")[0] for name in checks] == [
        "Database", "Storage", "cache: Redis", "queue: Redis"]
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies
    assert list(media.iterdir()) == []  # the storage check's file is gone, and no folder was made


def test_readyz_without_redis_checks_database_and_storage_only(client, settings, media):
    settings.REDIS_URL = None
    response = client.get("/readyz", HTTP_ACCEPT="text/html")  # JSON whatever is accepted
    assert response.status_code == 200
    assert list(response.json()) == ["Database(alias='default')", "Storage(alias='default')"]


def test_readyz_is_503_naming_the_redis_that_is_down_and_does_not_wait_for_it(client, settings, media):
    settings.REDIS_URL = LIVE_REDIS
    settings.TASKS = RQ
    settings.RQ_QUEUES = {"default": {"URL": DEAD_REDIS}}
    started = time.monotonic()
    response = client.get("/readyz")
    assert time.monotonic() - started < 5
    assert response.status_code == 503
    checks = response.json()
    assert checks["queue: Redis(db=0, host='127.0.0.1', port=1)"].startswith("Unavailable")
    assert checks["cache: Redis(db=0, host='127.0.0.1', port=6379)"] == "OK"
    assert checks["Database(alias='default')"] == "OK"


def test_readyz_is_503_when_the_cache_redis_is_down(client, settings, media):
    settings.REDIS_URL = DEAD_REDIS
    response = client.get("/readyz?format=text")
    assert response.status_code == 503
    assert "cache: Redis(db=0, host='127.0.0.1', port=1): Unavailable" in response.content.decode()


PROBE = """
import json, django
django.setup()
from django.test import Client
client = Client(REMOTE_ADDR="127.0.0.1")
print(json.dumps({path: client.get(path).status_code for path in ("/healthz", "/readyz", "/metrics", "/")}))
"""


def test_the_probes_are_answered_over_plain_http_under_the_production_settings(tmp_path):
    """A load balancer probes the node's own address over HTTP: no redirect to HTTPS (which the
    home page still gets), and no session or login in the way."""
    root = Path(__file__).resolve().parents[3]
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "servicehall.settings.production",
        "DJANGO_SECRET_KEY": "probe-test-" + "k" * 50,
        "FIELD_ENCRYPTION_KEYS": "test1:" + "0f" * 32,
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'probe.sqlite3'}",
        "REDIS_URL": LIVE_REDIS,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "HALL_HTTPS": "1",
    }
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=root, env=environment,
                            capture_output=True, text=True, timeout=120, check=True)
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    assert answers == {"/healthz": 200, "/readyz": 200, "/metrics": 200, "/": 301}
    assert list((tmp_path / "media").iterdir()) == []
