"""The cluster tests: against the running `make cluster` (scripts/cluster.py), through nginx or one
web node, as clients do. They set up people and cases through the hall's own services (as the other
suites' fixtures do) on the cluster's database. Run by `make cluster-test`, with pytest-django off:
nothing here is a test database."""

import pytest

from .helpers import new_applicant


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The root conftest clears the cache between tests; the cluster's cache holds its sessions
    and rate limits, which the tests leave alone (each test uses its own people)."""
    yield


@pytest.fixture
def applicant():
    return new_applicant()
