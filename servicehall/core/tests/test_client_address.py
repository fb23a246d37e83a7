"""The client's address is read in one place (core.http.client_ip): a forged X-Forwarded-For
moves no counter and no audit address, whether the hall sits behind a proxy or not."""

import itertools

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from servicehall.api.throttles import LoginThrottle
from servicehall.audit.models import AuditEntry
from servicehall.core.http import client_ip
from tests.people import PASSWORD

REAL = "203.0.113.7"
PROXY = "10.0.0.1"
_forged = (f"198.51.100.{n % 250 + 1}" for n in itertools.count())


def forged_chain() -> str:
    """What a client behind one proxy sends: its own made-up entry, then the proxy's."""
    return f"{next(_forged)}, {REAL}"


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # What production used to say; it must no longer matter to anyone.
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]


@pytest.fixture
def no_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]


def _request(**meta):
    return RequestFactory().get("/", **meta)


@pytest.mark.usefixtures("no_proxy")
def test_without_a_proxy_x_forwarded_for_is_ignored():
    assert client_ip(_request(REMOTE_ADDR=REAL, HTTP_X_FORWARDED_FOR="1.2.3.4")) == REAL
    assert client_ip(_request(REMOTE_ADDR="not an address")) == "unknown"


def test_behind_n_proxies_the_entry_n_from_the_right_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"1.2.3.4, {REAL}")) == REAL
    assert client_ip(_request(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=REAL)) == REAL
    # A request that reached the hall without X-Forwarded-For: the connecting address.
    assert client_ip(_request(REMOTE_ADDR=PROXY)) == PROXY
    settings.TRUSTED_PROXY_COUNT = 2
    chain = f"1.2.3.4, 5.6.7.8, {REAL}, 10.0.0.2"
    assert client_ip(_request(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=chain)) == REAL
    assert client_ip(_request(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="garbage, ,;")) == PROXY


def _api_password_logins(person, *, remote, forged, times):
    statuses = []
    for _attempt in range(times):
        extra = {"REMOTE_ADDR": remote, "HTTP_X_FORWARDED_FOR": forged()}
        response = APIClient().post(
            "/api/v1/auth/login/password",
            {"identifier": person.mobile, "password": "Wrong#Pass1"}, format="json", **extra,
        )
        statuses.append(response.status_code)
    return statuses


@pytest.mark.django_db
@pytest.mark.usefixtures("behind_one_proxy")
def test_api_login_throttle_counts_the_real_address_behind_a_proxy(person, monkeypatch):
    monkeypatch.setattr(LoginThrottle, "rate", "3/min", raising=False)
    statuses = _api_password_logins(person, remote=PROXY, forged=forged_chain, times=4)
    assert statuses[-1] == 429, statuses


@pytest.mark.django_db
@pytest.mark.usefixtures("no_proxy")
def test_api_login_throttle_ignores_forwarded_for_without_a_proxy(person, monkeypatch):
    monkeypatch.setattr(LoginThrottle, "rate", "3/min", raising=False)
    statuses = _api_password_logins(person, remote=REAL, forged=lambda: next(_forged), times=4)
    assert statuses[-1] == 429, statuses


def _page_logins(*, remote, forged, identifiers):
    return [
        Client(REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forged()).post(
            reverse("accounts:login"), {"identifier": identifier, "password": "Wrong#Pass1"}
        ).status_code
        for identifier in identifiers
    ]


@pytest.mark.django_db
@pytest.mark.usefixtures("behind_one_proxy")
def test_failures_per_address_block_the_real_address_behind_a_proxy(settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    statuses = _page_logins(remote=PROXY, forged=forged_chain,
                            identifiers=[f"1370000000{n}" for n in range(4)])
    assert statuses == [200, 200, 200, 429]


@pytest.mark.django_db
@pytest.mark.usefixtures("no_proxy")
def test_failures_per_address_ignore_forwarded_for_without_a_proxy(settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    statuses = _page_logins(remote=REAL, forged=lambda: next(_forged),
                            identifiers=[f"1370000000{n}" for n in range(4)])
    assert statuses == [200, 200, 200, 429]


@pytest.mark.django_db
@pytest.mark.usefixtures("behind_one_proxy")
def test_axes_and_the_audit_trail_record_the_real_address_behind_a_proxy(person):
    _page_logins(remote=PROXY, forged=forged_chain, identifiers=[person.mobile])
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [REAL]
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forged_chain())
    client.post(reverse("accounts:login"), {"identifier": person.mobile, "password": PASSWORD})
    entry = AuditEntry.objects.filter(action__startswith="account.login").latest("pk")
    assert entry.ip_address == REAL


@pytest.mark.django_db
@pytest.mark.usefixtures("no_proxy")
def test_axes_and_the_audit_trail_ignore_forwarded_for_without_a_proxy(person):
    _page_logins(remote=REAL, forged=lambda: next(_forged), identifiers=[person.mobile])
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [REAL]
    client = Client(REMOTE_ADDR=REAL, HTTP_X_FORWARDED_FOR=next(_forged))
    client.post(reverse("accounts:login"), {"identifier": person.mobile, "password": PASSWORD})
    entry = AuditEntry.objects.filter(action__startswith="account.login").latest("pk")
    assert entry.ip_address == REAL


def test_axes_gets_no_address_rather_than_a_word_its_ip_column_refuses():
    from django.http import HttpRequest

    from servicehall.accounts.backends import axes_client_ip

    assert axes_client_ip(HttpRequest()) is None  # what force_login and the shell pass
    assert axes_client_ip(_request(REMOTE_ADDR=REAL)) == REAL
