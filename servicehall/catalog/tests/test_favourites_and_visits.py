import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from servicehall.catalog import selectors, services
from servicehall.catalog.models import Favourite, Service, ServiceVisit

pytestmark = pytest.mark.django_db
SUBSIDY = "job-seeking-subsidy"


def _favourite_url(code=SUBSIDY):
    return reverse("catalog:favourite", args=[code])


def test_favourite_when_logged_out_leads_to_login_and_back(client):
    guide = reverse("catalog:guide", args=[SUBSIDY])
    page = client.get(guide).content.decode()
    assert f"{reverse('accounts:login')}?next={guide}" in page
    response = client.post(_favourite_url(), {"next": guide})
    assert response.url.startswith(reverse("accounts:login"))
    assert not Favourite.objects.exists()


def test_a_person_adds_a_favourite_sees_it_in_the_centre_and_removes_it(client, person):
    client.force_login(person)
    response = client.post(_favourite_url(), {"next": reverse("catalog:personal"), "action": "add"},
                           follow=True)
    assert "已收藏“求职创业补贴个人申报”" in response.content.decode()
    center = client.get(reverse("portal:favourites")).content.decode()
    assert "求职创业补贴个人申报" in center and 'aria-pressed="true"' in center
    client.post(_favourite_url(), {"action": "remove"})
    assert not Favourite.objects.filter(user=person).exists()
    assert "您还没有收藏服务" in client.get(reverse("portal:favourites")).content.decode()


def test_every_favourite_shows_pressed_on_the_lists_and_the_guide(client, person):
    """The favourites ride with the person's load (accounts.backends): two or more are read
    apart correctly, and one removed is shown as removed."""
    client.force_login(person)
    codes = ["job-seeking-subsidy", "work-injury-recognition"]
    for code in codes:
        client.post(reverse("catalog:favourite", args=[code]), {"action": "add"})
    listing = client.get(reverse("catalog:personal")).content.decode()
    assert listing.count('aria-pressed="true"') == 2
    guide = reverse("catalog:guide", args=[codes[1]])
    assert 'aria-pressed="true"' in client.get(guide).content.decode()
    client.post(reverse("catalog:favourite", args=[codes[1]]), {"action": "remove"})
    assert 'aria-pressed="true"' not in client.get(guide).content.decode()


def test_adding_twice_keeps_one_favourite(client, person):
    client.force_login(person)
    client.post(_favourite_url(), {"action": "add"})
    client.post(_favourite_url(), {"action": "add"})
    assert Favourite.objects.filter(user=person).count() == 1


def test_htmx_gets_the_button_back_in_its_new_state(client, person):
    client.force_login(person)
    response = client.post(_favourite_url(), {"action": "add"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'aria-pressed="true"' in body and "已收藏" in body and "<html" not in body


def test_an_offsite_next_is_ignored(client, person):
    client.force_login(person)
    response = client.post(_favourite_url(), {"action": "add", "next": "https://evil.example/"})
    assert response.url == reverse("catalog:guide", args=[SUBSIDY])


def test_staff_cannot_keep_favourites(client, school_reviewer):
    client.force_login(school_reviewer)
    response = client.post(_favourite_url(), {"action": "add"}, follow=True)
    assert "收藏功能仅供个人用户使用" in response.content.decode()
    assert not Favourite.objects.exists()


def test_favourite_needs_post(client, person):
    client.force_login(person)
    assert client.get(_favourite_url()).status_code == 405


def test_each_guide_view_counts_one_visit(client):
    for _ in range(3):
        client.get(reverse("catalog:guide", args=["work-injury-recognition"]))
    row = ServiceVisit.objects.get(service_id="work-injury-recognition")
    assert (row.day, row.count) == (timezone.localdate(), 3)


def test_visits_are_added_up_in_the_process_and_written_together(client, settings):
    settings.SERVICE_VISITS_FLUSH_SECONDS = 3600
    services.service_visits_flush()  # the hour starts now
    guide = reverse("catalog:guide", args=["work-injury-recognition"])
    for _ in range(3):
        assert client.get(guide).status_code == 200
    assert not ServiceVisit.objects.filter(service_id="work-injury-recognition").exists()
    services.service_visits_flush()
    assert ServiceVisit.objects.get(service_id="work-injury-recognition").count == 3
    settings.SERVICE_VISITS_FLUSH_SECONDS = 0  # the interval has passed: the next view writes
    client.get(guide)
    assert ServiceVisit.objects.get(service_id="work-injury-recognition").count == 4


def test_hot_services_put_the_pinned_subsidy_first_then_rank_by_recent_visits():
    others = list(Service.objects.filter(serves="person", pinned__isnull=True))
    rare, popular = others[0], others[-1]
    today = timezone.localdate()
    for _ in range(5):
        services.service_visit_record(service=popular)
    services.service_visit_record(service=rare, day=today - datetime.timedelta(days=40))  # too old
    hot = selectors.hot_services()
    assert hot[0].code == SUBSIDY
    pinned = [s for s in hot if s.pinned is not None]
    assert hot[len(pinned)] == popular


def test_home_page_shows_hot_services_with_the_subsidy_first(client):
    page = client.get(reverse("portal:home")).content.decode()
    hot = page.split('id="hot-title"')[1]
    assert hot.index("求职创业补贴个人申报") < hot.index("</ul>")
    assert 'hot-grid__item hot-grid__item--first" href="/services/job-seeking-subsidy/"' in hot
