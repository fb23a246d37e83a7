"""Fixtures of the API tests: a client that speaks JSON, people with tokens, an open window."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from servicehall.cards.services import demo_card_for
from servicehall.subsidy.models import ApplicationWindow, WindowKind
from servicehall.subsidy.tests.conftest import world  # noqa: F401 - the reviewers
from servicehall.subsidy.years import graduation_year_setup
from tests.people import PASSWORD, resident_id

V1 = "/api/v1/"
YEAR = 2027


def bearer(client: APIClient, access: str) -> APIClient:
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def log_in(identifier: str, password: str = PASSWORD) -> dict:
    response = APIClient().post(
        V1 + "auth/login/password", {"identifier": identifier, "password": password}, format="json"
    )
    assert response.status_code == 200, response.json()
    return response.json()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def person_api(person):
    return bearer(APIClient(), log_in(person.mobile)["access"])


@pytest.fixture
def other_person(db):
    from servicehall.accounts import services
    from servicehall.accounts.models import IdType

    return services.person_create_verified(
        id_type=IdType.RESIDENT,
        id_number=resident_id("32010519990101002"),
        name="李小红",
        mobile="13800000002",
        password=PASSWORD,
    )


@pytest.fixture
def other_api(other_person):
    return bearer(APIClient(), log_in(other_person.mobile)["access"])


@pytest.fixture
def open_window(db):
    """Graduation year 2027 with its main window moved around today."""
    year = graduation_year_setup(year=YEAR)
    today = timezone.localdate()
    ApplicationWindow.objects.filter(graduation_year=year, kind=WindowKind.MAIN).update(
        opens_on=today - datetime.timedelta(days=3), closes_on=today + datetime.timedelta(days=3)
    )
    return year


@pytest.fixture
def card(person):
    return demo_card_for(id_number=person.id_number, name=person.name)
