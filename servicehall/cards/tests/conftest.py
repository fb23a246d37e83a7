"""Fixtures the card tests share: clients logged in the way people and staff log in. The card
files themselves are built in factories.py."""


import pytest
from django.test import Client
from django.urls import reverse

from tests.clients import staff_client
from tests.people import PASSWORD


@pytest.fixture
def client():
    return Client(REMOTE_ADDR="10.0.0.1")


@pytest.fixture
def person_client(person):
    client = Client(REMOTE_ADDR="10.0.0.2")
    response = client.post(reverse("accounts:login"),
                           {"identifier": person.id_number, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def operator_client(operator, sms_code):
    return staff_client(operator, sms_code)
