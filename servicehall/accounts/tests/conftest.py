import pytest
from django.test import Client


@pytest.fixture
def client():
    return Client(REMOTE_ADDR="10.0.0.1")
