"""After a failed payment: the applicant confirms the card is fixed, or the system sees it in
the card data; the application waits for a later batch, paid to the card's current account."""

import datetime

import pytest

from servicehall.audit.models import AuditEntry
from servicehall.cards.models import SocialSecurityCard
from servicehall.cards.services import card_upsert
from servicehall.core.errors import DomainError
from servicehall.payments import services
from servicehall.payments.models import PaymentItem
from servicehall.payments.tests.factories import return_for
from servicehall.subsidy.constants import ApplicationStatus as S
from servicehall.subsidy.models import Application

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed(officers, awaiting, year):
    """Two applications whose payment failed (the cards' financial function not active)."""
    applications = awaiting(2)
    batch = services.batch_build(actor=officers["maker"], graduation_year=year)
    services.batch_approve(actor=officers["checker"], batch=batch)
    _name, data = services.bank_file_export(actor=officers["maker"], batch=batch, bank="102")
    reasons = {a.record_number: "账户未开通金融功能" for a in applications}
    services.return_file_import(
        actor=officers["maker"],
        batch=batch,
        bank="102",
        filename="r.csv",
        data=return_for(data, failed=reasons),
    )
    for application in applications:
        SocialSecurityCard.objects.filter(id_number_index=application.id_number_index).update(
            financial_active=False
        )
    return [Application.objects.select_related("applicant").get(pk=a.pk) for a in applications]


def _card(application):
    return SocialSecurityCard.objects.get(id_number_index=application.id_number_index)


def _activate(application, **changes):
    """What the card import does when the bank reports the card fixed (updated_at moves on)."""
    card = _card(application)
    values = {
        "id_number": card.id_number,
        "name": card.name,
        "card_number": card.card_number,
        "generation": card.generation,
        "bank": card.bank,
        "account": card.account,
        "financial_active": True,
        "status": "normal",
        "issued_on": card.issued_on,
    }
    values.update(changes)
    return card_upsert(**values).card


def test_the_applicant_confirms_once_the_card_is_usable(failed, django_capture_on_commit_callbacks):
    one, _two = failed
    with pytest.raises(DomainError) as error:
        services.payment_reissue(actor=one.applicant, application=one)
    assert error.value.code == "card_financial_inactive" and "金融功能" in error.value.message
    assert Application.objects.get(pk=one.pk).state == S.PAYMENT_FAILED

    _activate(one)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.payment_reissue(actor=one.applicant, application=one)
    assert len(callbacks) >= 1
    application = Application.objects.get(pk=one.pk)
    assert application.state == S.AWAITING_PAYMENT
    event = application.timeline.last()
    assert (event.action, event.actor) == ("account_fixed", one.applicant)
    assert AuditEntry.objects.filter(action="payments.reissue", target_id=str(one.pk)).exists()
    assert PaymentItem.objects.get(application=one).status == "failed"  # history stays
    # A second confirmation changes nothing.
    services.payment_reissue(actor=one.applicant, application=one)
    assert application.timeline.filter(action="account_fixed").count() == 1


def test_a_replaced_card_is_paid_to_its_new_account(failed, officers, year):
    one, _two = failed
    SocialSecurityCard.objects.filter(pk=_card(one).pk).update(status="reported_lost")
    with pytest.raises(DomainError) as error:
        services.payment_reissue(actor=one.applicant, application=one)
    assert error.value.code == "card_lost"
    _activate(one, account="6217000011112222333", bank="105")
    services.payment_reissue(actor=one.applicant, application=one)
    batch = services.batch_build(actor=officers["maker"], graduation_year=year)
    item = batch.items.get()
    assert (item.account, item.bank_id, item.application_id) == ("6217000011112222333", "105", one.pk)


def test_no_one_else_may_confirm(failed, officers, world):
    one, two = failed
    _activate(one)
    for actor in (two.applicant, officers["maker"], world["first"]):
        with pytest.raises(DomainError) as error:
            services.payment_reissue(actor=actor, application=one)
        assert error.value.code == "not_found"


def test_only_a_failed_payment_is_reissued(officers, awaiting, year):
    (application,) = awaiting(1)
    application = Application.objects.select_related("applicant").get(pk=application.pk)
    with pytest.raises(DomainError) as error:
        services.payment_reissue(actor=application.applicant, application=application)
    assert error.value.code == "wrong_state"


def test_the_system_reissues_cards_fixed_after_the_failure(failed, django_capture_on_commit_callbacks):
    one, two = failed
    assert services.payments_reissue_fixed_cards() == 0  # nothing fixed yet
    _activate(one)
    # two's card was made usable, but before the failure: the bank has not said it changed.
    _activate(two)
    SocialSecurityCard.objects.filter(pk=_card(two).pk).update(
        updated_at=Application.objects.get(pk=two.pk).state_changed_at - datetime.timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.payments_reissue_fixed_cards() == 1
    assert Application.objects.get(pk=one.pk).state == S.AWAITING_PAYMENT
    assert Application.objects.get(pk=two.pk).state == S.PAYMENT_FAILED
    event = Application.objects.get(pk=one.pk).timeline.last()
    assert (event.action, event.actor) == ("account_fixed", None)
    assert services.payments_reissue_fixed_cards() == 0  # done once


def test_the_command_runs_the_systems_pass(failed):
    from io import StringIO

    from django.core.management import call_command

    _activate(failed[0])
    out = StringIO()
    call_command("reissue_fixed_cards", stdout=out)
    assert out.getvalue().startswith("1 application")


def test_a_card_import_that_fixes_a_card_puts_the_payment_back_in_line(
    failed, operator, django_capture_on_commit_callbacks
):
    from servicehall.cards.services import card_import
    from servicehall.cards.tests.factories import csv_bytes, row, upload

    one, two = failed
    card = _card(one)
    fixed = row(
        id_number=card.id_number,
        name=card.name,
        card_number=card.card_number,
        bank=card.bank.name,
        account=card.account,
        financial="已开通",
    )
    with django_capture_on_commit_callbacks(execute=True):
        card_import(actor=operator, uploaded_file=upload(csv_bytes([fixed])))
    assert Application.objects.get(pk=one.pk).state == S.AWAITING_PAYMENT
    assert Application.objects.get(pk=two.pk).state == S.PAYMENT_FAILED
    # The same file again changes no card, so nothing is sent and nothing moves.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        card_import(actor=operator, uploaded_file=upload(csv_bytes([fixed])))
    assert callbacks == []
