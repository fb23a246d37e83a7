"""A staff account disabled by an operator: its open web session ends and stays ended when the
account is enabled again (accounts.sessions.account_sign_out_everywhere)."""

import pytest
from django.urls import reverse

from servicehall.audit.models import AuditEntry
from tests.clients import staff_client

pytestmark = pytest.mark.django_db


def test_a_disabled_staff_members_session_ends_for_good(operator, world, sms_code):
    leaver = world["first"]
    browser = staff_client(leaver, sms_code, address="10.0.0.31")
    assert browser.get(reverse("accounts:staff_home")).status_code == 200
    admin = staff_client(operator, sms_code, address="10.0.0.32")
    admin.post(reverse("accounts:staff_activate", args=[leaver.pk]), {"active": "0"})
    assert browser.get(reverse("accounts:staff_home")).status_code == 302
    entry = AuditEntry.objects.get(action="account.sign_out_everywhere")
    assert entry.detail == {"reason": "staff_disabled"} and entry.actor_id == operator.pk
    # Enabled again (a mistake put right): the old session does not come back to life.
    admin.post(reverse("accounts:staff_activate", args=[leaver.pk]), {"active": "1"})
    response = browser.get(reverse("accounts:staff_home"))
    assert response.status_code == 302 and reverse("accounts:login_staff") in response.url
