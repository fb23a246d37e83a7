"""Fixtures of the API tests: a client that speaks JSON, people with tokens. The year, its open
window and the card come from the root conftest."""


import pytest
from rest_framework.test import APIClient

from tests.people import PASSWORD, resident_id

V1 = "/api/v1/"


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
