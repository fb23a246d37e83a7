"""/metrics (django-prometheus) answers only the operators' networks (METRICS_ALLOWED_NETWORKS),
with the client's address read the one way (core.http.client_ip): anyone else, and anyone who
writes a trusted address into X-Forwarded-For, sees a page that is not there."""

import pytest

pytestmark = pytest.mark.django_db


def test_metrics_from_the_machine_itself_are_prometheus_text(client):
    client.get("/healthz")  # at least one request counted
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    text = response.content.decode()
    assert "# TYPE django_http_requests_total_by_view_transport_method_total counter" in text
    assert 'django_http_responses_total_by_status_view_method_total{method="GET",status="200",' \
           'view="healthz"}' in text
    assert "no-cache" in response["Cache-Control"]


def test_ipv6_loopback_is_an_operator_too(client):
    assert client.get("/metrics", REMOTE_ADDR="::1").status_code == 200


def test_metrics_from_a_public_address_are_not_found(client):
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 404
    assert b"django_http" not in response.content


def test_the_operators_network_comes_from_the_environment(client, settings):
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    assert client.get("/metrics", REMOTE_ADDR="10.20.30.40").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404


def test_behind_the_proxy_the_address_nginx_saw_counts_not_what_the_client_wrote(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    forged = client.get("/metrics", REMOTE_ADDR="127.0.0.1",
                        HTTP_X_FORWARDED_FOR="10.0.0.5, 203.0.113.7")
    assert forged.status_code == 404
    operator = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.1.2.3")
    assert operator.status_code == 200


def test_nginx_operators_listener_passes_no_forwarded_for_and_counts_as_loopback(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
