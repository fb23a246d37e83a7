"""A part the hall stands on being down (Redis here, at a closed port) is answered 503 with
Retry-After, as a plain page or in the API's error shape; a fault of the hall's own stays a 500."""

from unittest import mock

import pytest
from django.test import Client

REDIS_DOWN = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
}


@pytest.fixture
def redis_down(settings):
    settings.CACHES = REDIS_DOWN
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The root conftest clears the cache around each test: not the one that is down here."""
    yield


def test_a_page_says_the_hall_is_busy_and_when_to_come_back(db, redis_down):
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30" and response["Cache-Control"] == "no-store"
    text = response.content.decode()
    assert "系统繁忙" in text and "12333" in text


def test_the_api_answers_in_its_error_shape(db, redis_down):
    response = Client(raise_request_exception=False).get("/api/v1/services/search", {"q": "补贴"})
    assert response.status_code == 503
    body = response.json()
    assert body["code"] == "unavailable" and body["message"].startswith("系统繁忙")
    assert response["Retry-After"] == "30"


def test_a_fault_of_the_halls_own_is_still_a_500(db):
    with mock.patch("servicehall.portal.views.notices_newest", side_effect=RuntimeError("bug")):
        response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    assert "Retry-After" not in response
