"""The binding rules of 其他登录方式 (accounts.provider_login), one test each, given what a
provider vouched for. The protocol itself (codes, tokens, signatures) is tested against the
local provider in test_provider_login.py; here no provider is contacted."""

from datetime import timedelta

import pytest
from django.utils import timezone

from servicehall.accounts import provider_login as flows
from servicehall.accounts.models import ProviderBinding, ProviderTicket, Role, User
from servicehall.accounts.providers import ProviderIdentity
from servicehall.audit.models import AuditEntry
from servicehall.core.errors import DomainError
from servicehall.messaging.models import CodePurpose
from servicehall.messaging.services import otp_send
from tests.people import PASSWORD, make_staff, resident_id

from .factories import PersonFactory

pytestmark = pytest.mark.django_db
NEW_ID = resident_id("32010220050601002")


@pytest.fixture(autouse=True)
def _provider(settings):
    settings.LOGIN_PROVIDERS = [{
        "key": "jszwfw", "kind": "oidc", "label": "江苏政务服务网", "issuer": "http://127.0.0.1:9",
        "client_id": "hall", "client_secret": "s", "scopes": "openid", "id_number_claim": "id_number",
        "app_redirect_uri": "",
    }]


def identity(subject="sub-1", **claims) -> ProviderIdentity:
    return ProviderIdentity(provider="jszwfw", subject=subject, name=claims.pop("name", "张晓明"), **claims)


def refusals(reason: str) -> int:
    return AuditEntry.objects.filter(action="account.provider.refused", detail__reason=reason).count()


def refused(call, reason: str) -> DomainError:
    before = refusals(reason)
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.code == reason
    assert refusals(reason) == before + 1, "every refusal is one audit entry"
    return caught.value


def test_an_id_number_of_an_account_binds_at_once_and_logs_in_again_by_the_binding():
    person = PersonFactory(index=1)
    outcome = flows.provider_login(identity=identity(id_number=person.id_number))
    assert outcome.user == person and not outcome.ticket
    binding = ProviderBinding.objects.get(user=person)
    assert (binding.provider, binding.subject) == ("jszwfw", "sub-1")
    assert flows.provider_login(identity=identity()).user == person  # no claims needed any more
    assert AuditEntry.objects.filter(action="account.provider.bind", detail__via="id_number").count() == 1
    assert AuditEntry.objects.filter(action="account.login.provider").count() == 2


def test_a_bound_identity_that_now_names_another_id_number_is_refused():
    person = PersonFactory(index=1)
    flows.provider_login(identity=identity(id_number=person.id_number))
    refused(lambda: flows.provider_login(identity=identity(id_number=NEW_ID)), "provider_id_mismatch")


def test_an_id_number_nobody_registered_leads_to_registration_which_binds(sms_code):
    outcome = flows.provider_login(identity=identity(id_number=NEW_ID, name="李思"))
    assert outcome.user is None and outcome.next_step == "account"
    assert flows.provider_registration_values_for(outcome.ticket)["id_number"] == NEW_ID
    otp_send(mobile="13900000002", purpose=CodePurpose.REGISTER, client_address="1.2.3.4")
    user = flows.provider_register(ticket=outcome.ticket, id_type="resident", id_number=NEW_ID, name="李思",
                                   mobile="13900000002", password=PASSWORD,
                                   sms_code=sms_code("13900000002"))
    assert ProviderBinding.objects.get(user=user).subject == "sub-1"
    assert flows.provider_login(identity=identity(id_number=NEW_ID)).user == user


def test_registration_from_a_provider_keeps_the_id_number_it_verified():
    outcome = flows.provider_login(identity=identity(id_number=NEW_ID))
    other = resident_id("32010220050601003")
    refused(lambda: flows.provider_register(
        ticket=outcome.ticket, id_type="resident", id_number=other, name="李思", mobile="13900000002",
        password=PASSWORD, sms_code="123456"), "provider_id_changed")
    assert not User.objects.filter(role=Role.APPLICANT).exists(), "no account made"


def test_registration_from_a_provider_keeps_the_name_it_verified():
    outcome = flows.provider_login(identity=identity(id_number=NEW_ID, name="李思"))
    with pytest.raises(DomainError) as changed:
        flows.provider_register(ticket=outcome.ticket, id_type="resident", id_number=NEW_ID, name="李四",
                                mobile="13900000002", password=PASSWORD, sms_code="123456")
    assert changed.value.code == "provider_id_changed" and changed.value.fields == ("name",)
    assert not User.objects.filter(role=Role.APPLICANT).exists(), "no account made"


def test_a_verified_mobile_of_an_account_is_confirmed_by_an_sms_code(sms_code):
    person = PersonFactory(index=2)
    outcome = flows.provider_login(identity=identity(mobile=person.mobile))
    assert outcome.next_step == "sms" and outcome.masked_mobile.endswith(person.mobile[-4:])
    assert not ProviderBinding.objects.exists()
    refused(lambda: flows.provider_confirm_by_sms(ticket=outcome.ticket, sms_code="000000"), "otp_missing")
    flows.provider_confirm_code_send(ticket=outcome.ticket, client_address="1.2.3.4")
    user = flows.provider_confirm_by_sms(ticket=outcome.ticket, sms_code=sms_code(person.mobile))
    assert user == person and ProviderBinding.objects.get().user == person
    with pytest.raises(DomainError) as spent:
        flows.provider_confirm_by_sms(ticket=outcome.ticket, sms_code="123456")
    assert spent.value.code == "provider_ticket", "a ticket is used once"


def test_an_identity_with_nothing_the_hall_knows_binds_by_logging_in_once_with_the_password(rf):
    person = PersonFactory(index=3)
    outcome = flows.provider_login(identity=identity())
    assert outcome.next_step == "account"
    request = rf.post("/", REMOTE_ADDR="10.1.1.1")
    with pytest.raises(DomainError) as wrong:
        flows.provider_bind_by_password(request=request, ticket=outcome.ticket, identifier=person.mobile,
                                        password="Wrong#Pass2026")
    assert wrong.value.code == "login_failed" and not ProviderBinding.objects.exists()
    user = flows.provider_bind_by_password(request=rf.post("/", REMOTE_ADDR="10.1.1.1"),
                                           ticket=outcome.ticket, identifier=person.mobile, password=PASSWORD)
    assert user == person and ProviderBinding.objects.get().user == person


def test_the_password_of_someone_else_never_binds_an_identity_that_names_its_id_number(rf):
    other = PersonFactory(index=4)
    outcome = flows.provider_login(identity=identity(id_number=NEW_ID))
    refused(lambda: flows.provider_bind_by_password(
        request=rf.post("/", REMOTE_ADDR="10.1.1.1"), ticket=outcome.ticket, identifier=other.mobile,
        password=PASSWORD), "provider_id_mismatch")
    assert not ProviderBinding.objects.exists()


def test_staff_never_log_in_through_a_provider(organisations):
    staff = make_staff(organisations["school"], "nju.reviewer", Role.SCHOOL_REVIEWER, "13700000001")
    refused(lambda: flows.provider_login(identity=identity(mobile=staff.mobile)), "provider_staff")
    refused(lambda: flows.provider_bind(user=staff, identity=identity()), "provider_staff")
    assert not ProviderBinding.objects.exists()


def test_binding_from_my_page_refuses_an_id_number_that_is_someone_elses():
    me, them = PersonFactory(index=5), PersonFactory(index=6)
    refused(lambda: flows.provider_bind(user=me, identity=identity(id_number=them.id_number)),
            "provider_id_mismatch")
    assert not ProviderBinding.objects.exists()


def test_one_identity_one_account_and_one_identity_per_provider_per_account():
    me, them = PersonFactory(index=7), PersonFactory(index=8)
    flows.provider_bind(user=me, identity=identity("sub-A"))
    assert flows.provider_bind(user=me, identity=identity("sub-A")).user == me  # again: no change
    refused(lambda: flows.provider_bind(user=them, identity=identity("sub-A")), "provider_subject_taken")
    refused(lambda: flows.provider_bind(user=me, identity=identity("sub-B")), "provider_already_bound")
    # The ID number's account already holds another identity of this provider.
    refused(lambda: flows.provider_login(identity=identity("sub-C", id_number=me.id_number)),
            "provider_other_bound")
    assert ProviderBinding.objects.count() == 1


def test_the_last_way_to_log_in_is_not_unbound():
    person = PersonFactory(index=9)
    flows.provider_bind(user=person, identity=identity())
    person.set_unusable_password()
    person.save()
    refused(lambda: flows.provider_unbind(user=person, provider_key="jszwfw"), "provider_last_way")
    assert ProviderBinding.objects.filter(user=person).exists()
    person.set_password(PASSWORD)
    person.save()
    flows.provider_unbind(user=person, provider_key="jszwfw")
    assert not ProviderBinding.objects.exists()
    assert AuditEntry.objects.filter(action="account.provider.unbind").count() == 1
    refused(lambda: flows.provider_unbind(user=person, provider_key="jszwfw"), "provider_not_bound")


def test_an_invalid_id_number_from_a_provider_is_refused():
    bad = identity(id_number="320102200403150039")  # the check digit is wrong
    refused(lambda: flows.provider_login(identity=bad), "provider_bad_id")
    assert not ProviderTicket.objects.exists()


def test_a_ticket_expires_and_is_purged():
    outcome = flows.provider_login(identity=identity(id_number=NEW_ID))
    ProviderTicket.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(DomainError) as expired:
        flows.provider_ticket_summary(outcome.ticket)
    assert expired.value.code == "provider_ticket"
    assert flows.provider_tickets_purge() == 1 and not ProviderTicket.objects.exists()


def test_an_unknown_provider_is_refused_and_recorded():
    refused(lambda: flows.provider_unbind(user=PersonFactory(index=10), provider_key="nope"),
            "provider_unknown")


@pytest.mark.parametrize("query", [
    {"code": "\x00", "state": "\x00"}, {"code": "x" * 5000, "state": "y" * 5000},
    {"error": "\x00" * 100, "state": "z"}, "auth_code=%ED%A0%80&state=%FF", {}])
def test_hostile_callbacks_are_refused_in_words(client, query):
    path = "/accounts/login/provider/jszwfw/callback/"
    page = client.get(f"{path}?{query}") if isinstance(query, str) else client.get(path, query)
    assert page.status_code == 400 and "登录" in page.content.decode()
    entry = AuditEntry.objects.filter(action="account.provider.refused").latest("id")
    assert entry.detail["detail"].isascii() and entry.detail["detail"].isprintable()  # PostgreSQL's JSON


def test_the_second_steps_without_a_ticket_say_so(client):
    for path in ("/accounts/login/provider/confirm/", "/accounts/login/provider/link/"):
        page = client.get(path)
        assert page.status_code == 400 and "第三方登录已超时" in page.content.decode()
        posted = client.post(path, {"sms_code": "123456", "identifier": "x", "password": "y"})
        assert posted.status_code == 400
    page = client.get("/accounts/register/?via=provider")
    assert page.status_code == 200 and "第三方登录已超时" in page.content.decode()
    assert client.get("/accounts/login/provider/" + "a" * 200 + "/").status_code == 400
