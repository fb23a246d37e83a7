"""When Redis is down the hall answers with its 系统繁忙 page (503, Retry-After), readable and
accessible on a desktop and a phone (issue 18)."""

from .conftest import check_page

REDIS_DOWN = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
}


def test_the_busy_page_when_redis_is_down(page, live_server, viewport_name, settings, db):
    settings.CACHES = REDIS_DOWN
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    response = page.goto(live_server.url + "/")
    assert response.status == 503 and response.headers["retry-after"] == "30"
    assert page.get_by_role("heading", level=1).inner_text() == "系统繁忙"
    assert "您已填写和上传的内容已保存" in page.locator("main").inner_text()
    check_page(page, viewport=viewport_name, shot="unavailable")
