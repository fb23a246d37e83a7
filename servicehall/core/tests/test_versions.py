"""What is kept per data version (core.versions) is read once, and read again as soon as the data
changes, in this process or in another; and the pages that keep things show a change at once."""

import threading

import pytest
from django.core.cache import cache
from django.utils import timezone

from servicehall.core import versions


def _counting():
    calls = []

    def build():
        calls.append(1)
        return len(calls)

    return calls, build


def test_kept_locally_builds_once_per_version(db):
    calls, build = _counting()
    assert versions.kept_locally("test-data", ("k",), build) == 1
    assert versions.kept_locally("test-data", ("k",), build) == 1
    versions.data_changed("test-data")  # this process changed the data
    assert versions.kept_locally("test-data", ("k",), build) == 2
    cache.incr("version:test-data")  # another process did
    assert versions.kept_locally("test-data", ("k",), build) == 3
    assert len(calls) == 3


def test_a_kept_copy_expires_even_when_no_version_was_raised(db, monkeypatch):
    calls, build = _counting()
    versions.kept_locally("test-data", ("k",), build)
    later = versions.time.monotonic() + versions.LOCAL_SECONDS + 1
    monkeypatch.setattr(versions.time, "monotonic", lambda: later)
    versions.kept_locally("test-data", ("k",), build)
    assert len(calls) == 2


def test_kept_shared_is_shared_by_processes_and_follows_the_version(db):
    _calls, build = _counting()
    assert versions.kept_shared("test-data", "k", build, seconds=60) == 1
    versions._local.clear()  # as another process, with nothing of its own
    assert versions.kept_shared("test-data", "k", build, seconds=60) == 1
    versions.data_changed("test-data")
    assert versions.kept_shared("test-data", "k", build, seconds=60) == 2


def test_threads_keep_and_drop_copies_at_once_without_error(db, monkeypatch):
    """granian's threads share the kept copies: a change drops them while others add. Threads
    are made to switch every microsecond so that the two meet."""
    import sys

    errors = []
    monkeypatch.setattr(versions, "data_version", lambda name: 1)  # no cache round trips
    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)

    def keep(n):
        try:
            for i in range(3000):
                versions.kept_locally("test-threads", (n, i), lambda value=i: value)
        except Exception as exc:  # the test reports whatever a thread met
            errors.append(exc)

    def change():
        try:
            for _ in range(3000):
                versions.data_changed("test-threads")
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=keep, args=(n,)) for n in range(4)] + [threading.Thread(target=change)]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(old_interval)
    assert errors == []


@pytest.mark.django_db
def test_a_renamed_service_and_a_new_notice_show_on_the_next_view(client):
    from django.core.management import call_command

    from servicehall.catalog.models import Service
    from servicehall.notices.models import Notice

    call_command("load_demo", verbosity=0)
    service = Service.objects.get(code="job-seeking-subsidy")
    client.get("/")
    client.get(f"/services/{service.code}/")
    service.name = "求职创业补贴（新名称）"
    service.save()
    assert "求职创业补贴（新名称）" in client.get(f"/services/{service.code}/").content.decode()
    assert "求职创业补贴（新名称）" in client.get("/search/", {"q": "新名称"}).content.decode()
    Notice.objects.create(
        title="刚刚发布的公告", body="正文", publisher="江苏省人社厅", published_at=timezone.now()
    )
    assert "刚刚发布的公告" in client.get("/").content.decode()


@pytest.mark.django_db
def test_a_notice_published_ahead_of_time_shows_when_it_is_due(client, monkeypatch):
    import datetime

    from django.core.management import call_command

    from servicehall.notices.models import Notice

    call_command("load_demo", verbosity=0)
    due = timezone.now() + datetime.timedelta(hours=1)
    Notice.objects.create(title="定时发布的公告", body="正文", publisher="江苏省人社厅", published_at=due)
    assert "定时发布的公告" not in client.get("/").content.decode()
    later = due + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "定时发布的公告" in client.get("/").content.decode()


def test_a_request_reads_the_versions_once_and_sees_its_own_changes(db):
    versions.data_version("test-a")
    versions.data_version("test-b")  # both known to this process now
    versions.request_started()
    try:
        first = versions.data_version("test-a")
        cache.incr("version:test-a")  # another process: seen from the next request on
        assert versions.data_version("test-a") == first
        versions.data_changed("test-b")  # this request's own change: seen at once
        assert versions.data_version("test-b") == cache.get("version:test-b")
    finally:
        versions.request_finished()
    assert versions.data_version("test-a") == first + 1


def test_a_page_asks_the_shared_cache_for_its_versions_once(client, person, card, open_window, monkeypatch):
    """The application form shows kept lists of two kinds of data (reference, the year's
    set-up) ten times; their versions are one round trip to the shared cache, not one a list."""
    client.force_login(person)
    client.get("/subsidy/apply/")  # every version this page needs is known to the process
    asked, within_many = [], []
    real_get, real_get_many = versions.cache.get, versions.cache.get_many

    def get(key, *args, **kwargs):
        if not within_many:  # the test's cache answers get_many by get (Redis: one MGET)
            asked.append(key)
        return real_get(key, *args, **kwargs)

    def get_many(keys, *args, **kwargs):
        asked.append(tuple(keys))
        within_many.append(1)
        try:
            return real_get_many(keys, *args, **kwargs)
        finally:
            within_many.pop()

    monkeypatch.setattr(versions.cache, "get", get)
    monkeypatch.setattr(versions.cache, "get_many", get_many)
    assert client.get("/subsidy/apply/").status_code == 200
    version_reads = [k for k in asked if "version:" in str(k)]
    assert len(version_reads) == 1, version_reads


def test_a_scoped_version_is_read_when_asked_not_with_every_request(db, monkeypatch):
    """One version per school ("application-states:school:12"): a process that served every
    school's reviewers must not fetch them all on each request, only the ones it asks for."""
    versions.data_version("test-shared")
    versions.data_version("test-scoped:school:1")
    asked = []
    real_get_many = versions.cache.get_many

    def get_many(keys, *args, **kwargs):
        asked.append(sorted(keys))
        return real_get_many(keys, *args, **kwargs)

    monkeypatch.setattr(versions.cache, "get_many", get_many)
    versions.request_started()
    try:
        versions.data_version("test-shared")
        assert "version:test-scoped:school:1" not in asked[0]
        assert "version:test-shared" in asked[0]
        first = versions.data_version("test-scoped:school:2")
        assert asked[1] == ["version:test-scoped:school:2"]
        assert versions.data_version("test-scoped:school:2") == first  # once a request
        assert len(asked) == 2
    finally:
        versions.request_finished()
