"""django-axes keeps what it needs to lock an account (a user id or a blind index, the address,
the time) and nothing that was typed: no ID number or mobile in its query or form copies."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.people import PASSWORD

pytestmark = pytest.mark.django_db

UNKNOWN_MOBILE = "13912345678"


def _typed_numbers(person):
    return [person.id_number, person.mobile, UNKNOWN_MOBILE]


def _stored_axes_text() -> str:
    rows = []
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        rows += [str(value) for row in model.objects.values() for value in row.values()]
    return "\n".join(rows)


def test_failed_logins_leave_no_typed_number_in_the_axes_tables(person, operator):
    client = Client()
    login = reverse("accounts:login") + f"?next=/center/?mobile={UNKNOWN_MOBILE}"
    for identifier in (*_typed_numbers(person), person.id_number.lower()):
        for _attempt in range(2):  # the second one appends to the stored copies
            client.post(login, {"identifier": identifier, "password": "Wrong#Pass1"})
    client.post(reverse("accounts:login_staff"), {"identifier": person.mobile, "password": "x"})
    client.post(reverse("accounts:login_staff"), {"identifier": "js.admin", "password": "x",
                                                  "mobile": person.mobile})
    APIClient().post("/api/v1/auth/login/password",
                     {"identifier": person.id_number, "password": "Wrong#Pass1"}, format="json")
    assert AccessAttempt.objects.count() >= 3
    stored = _stored_axes_text()
    for number in _typed_numbers(person):
        assert number not in stored


def test_a_successful_login_leaves_no_number_either(person):
    Client().post(reverse("accounts:login"), {"identifier": person.mobile, "password": PASSWORD})
    assert AccessLog.objects.count() == 1
    stored = _stored_axes_text()
    assert person.mobile not in stored and person.id_number not in stored


def test_the_migration_empties_the_copies_kept_before(person):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("servicehall.accounts.migrations.0005_axes_attempts_without_typed_data")
    AccessAttempt.objects.bulk_create([  # bulk_create skips pre_save, like the rows of old
        AccessAttempt(username="typed:x", ip_address="10.0.0.1", user_agent="", http_accept="",
                      path_info="/accounts/login/", get_data="", failures_since_start=1,
                      post_data=f"identifier={person.mobile}\npassword=********************"),
    ])
    migration.drop_typed_data(apps, None)
    assert person.mobile not in _stored_axes_text()
