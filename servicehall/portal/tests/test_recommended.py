"""个人中心's 推荐: up to six published services for the person's audience - that of the services
the person applied for or keeps in 我的收藏, else 高校毕业生 - each leading to its guide, for a
fixed number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from servicehall.catalog import services as catalog_services
from servicehall.catalog.models import Service
from servicehall.subsidy.tests.factories import ready_draft, submit_for

pytestmark = pytest.mark.django_db
SUBSIDY = "job-seeking-subsidy"


def _recommended(client) -> list[str]:
    """The codes of the services the block lists, in its order."""
    page = client.get(reverse("portal:center")).content.decode()
    block = re.search(r'<section class="center-recommend".*?</section>', page, re.DOTALL)
    assert block, "个人中心 has no 推荐 block"
    assert '<h2 id="recommend-title">推荐</h2>' in block.group(0)
    return re.findall(r'<a class="tile" href="/services/([^/]+)/">', block.group(0))


def _for_audience(code: str) -> list[str]:
    return list(Service.objects.filter(is_published=True, serves="person", audiences=code)
                .order_by(*Service._meta.ordering).values_list("code", flat=True))


def _favourite(person, code: str) -> None:
    catalog_services.favourite_add(user=person, service=Service.objects.get(code=code))


def test_a_person_the_hall_knows_nothing_of_gets_services_for_graduates(client, person):
    client.force_login(person)
    assert _recommended(client) == _for_audience("graduates")[:6]
    assert _recommended(client)[0] == SUBSIDY


def test_each_service_leads_to_its_guide(client, person):
    client.force_login(person)
    page = client.get(reverse("portal:center")).content.decode()
    subsidy = Service.objects.get(code=SUBSIDY)
    guide = reverse("catalog:guide", args=[SUBSIDY])
    assert f'href="{guide}"><span class="tile__title">{subsidy.name}' in page


def test_having_applied_leaves_the_subsidy_out(client, person, card, open_window):
    ready_draft(person)
    client.force_login(person)
    assert _recommended(client) == [c for c in _for_audience("graduates") if c != SUBSIDY][:6]


def test_a_favourite_brings_its_audiences_and_is_itself_left_out(client, person):
    # 失业保险金申领 is for 失业人员 only: the services for them come first.
    _favourite(person, "unemployment-benefit")
    client.force_login(person)
    shown = _recommended(client)
    assert "unemployment-benefit" not in shown and len(shown) == 6
    assert set(shown) <= set(_for_audience("unemployed"))


def test_an_organisations_service_kept_by_a_person_brings_no_organisations_services(client, person):
    _favourite(person, "employment-registration")
    client.force_login(person)
    shown = _recommended(client)
    assert shown == _for_audience("graduates")[:6]
    assert not Service.objects.filter(code__in=shown, serves="organisation").exists()


def test_unpublished_services_are_not_recommended(client, person):
    Service.objects.filter(code=SUBSIDY).update(is_published=False)
    from servicehall.core.versions import data_changed

    data_changed("catalog")
    client.force_login(person)
    assert SUBSIDY not in _recommended(client)


def test_the_block_costs_one_query_whatever_it_lists(client, person, card, open_window):
    _favourite(person, "unemployment-benefit")
    client.force_login(person)
    client.get(reverse("portal:center"))
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("portal:center"))
    submit_for(person)
    _favourite(person, "work-injury-recognition")
    client.get(reverse("portal:center"))
    with CaptureQueriesContext(connection) as second:
        client.get(reverse("portal:center"))
    # The session, the signed-in person with the favourites, and whether the person applied.
    assert len(first.captured_queries) == len(second.captured_queries) <= 3
    # The services and their audiences come from the catalog's kept copy, not the database.
    assert not [q for q in second.captured_queries if 'FROM "catalog_service' in q["sql"]]
