"""制单 and 审批: what goes into a batch, who may approve it (never its maker: in the code and in
the database), and who may see it (one's own bureau only)."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from servicehall.audit.models import AuditEntry
from servicehall.core.errors import DomainError
from servicehall.payments import selectors, services
from servicehall.payments.models import PaymentBatch, PaymentItem
from servicehall.reference.models import School
from servicehall.subsidy.constants import ApplicationStatus as S
from servicehall.subsidy.models import Application
from servicehall.subsidy.selectors import category_index

pytestmark = pytest.mark.django_db


def _state(application):
    return Application.objects.get(pk=application.pk).state


def test_a_batch_takes_the_bureaus_awaiting_applications_once(officers, awaiting, year):
    one, two = awaiting(2)
    batch = services.batch_build(actor=officers["maker"], graduation_year=year)
    assert set(batch.items.values_list("application_id", flat=True)) == {one.pk, two.pk}
    assert batch.items.get(application=one).amount_fen == year.amount_fen
    assert AuditEntry.objects.filter(action="payments.batch_build", target_id=str(batch.pk)).exists()
    # Already waiting in an unsettled batch: not taken again, by anyone of the bureau.
    with pytest.raises(DomainError) as error:
        services.batch_build(actor=officers["checker"], graduation_year=year)
    assert error.value.code == "empty"
    assert PaymentBatch.objects.count() == 1


def test_the_amount_is_the_years_in_fen(officers, awaiting, year):
    awaiting(1)
    year.amount_fen = 150_050
    year.save()
    batch = services.batch_build(actor=officers["maker"], graduation_year=year)
    assert (batch.total_fen, batch.total_yuan) == (150_050, "1500.50")


def test_school_and_category_narrow_the_batch(officers, awaiting, year):
    one, two = awaiting(2)
    Application.objects.filter(pk=two.pk).update(category_index=category_index("student_loan"))
    with pytest.raises(DomainError):
        services.batch_build(
            actor=officers["maker"], graduation_year=year, school=School.objects.get(name="东南大学")
        )
    batch = services.batch_build(actor=officers["maker"], graduation_year=year, category_code="student_loan")
    assert list(batch.items.values_list("application_id", flat=True)) == [two.pk]
    rest = services.batch_build(
        actor=officers["maker"], graduation_year=year, school=School.objects.get(name="南京大学")
    )
    assert list(rest.items.values_list("application_id", flat=True)) == [one.pk]


def test_another_bureau_and_other_roles_build_nothing_here(officers, awaiting, year, world):
    awaiting(1)
    with pytest.raises(DomainError) as error:
        services.batch_build(actor=officers["other"], graduation_year=year)
    assert error.value.code == "empty"
    for who in ("first", "school"):
        with pytest.raises(DomainError) as error:
            services.batch_build(actor=world[who], graduation_year=year)
        assert error.value.code == "forbidden"


def test_only_awaiting_payment_applications_are_taken(officers, awaiting, year):
    one, two = awaiting(2)
    Application.objects.filter(pk=two.pk).update(state=S.SECOND_REVIEW)
    batch = services.batch_build(actor=officers["maker"], graduation_year=year)
    assert list(batch.items.values_list("application_id", flat=True)) == [one.pk]


def test_the_maker_can_never_approve(officers, awaiting, year):
    awaiting(1)
    batch = services.batch_build(actor=officers["maker"], graduation_year=year)
    with pytest.raises(DomainError) as error:
        services.batch_approve(actor=officers["maker"], batch=batch)
    assert error.value.code == "same_officer"
    batch.refresh_from_db()
    assert batch.status == "draft"


def test_the_database_refuses_a_maker_as_checker(officers, awaiting, year):
    awaiting(1)
    batch = services.batch_build(actor=officers["maker"], graduation_year=year)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentBatch.objects.filter(pk=batch.pk).update(
            status="approved", approved_by=officers["maker"], approved_at=timezone.now()
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentBatch.objects.filter(pk=batch.pk).update(status="approved")  # approved by no one
    PaymentBatch.objects.filter(pk=batch.pk).update(
        status="approved", approved_by=officers["checker"], approved_at=timezone.now()
    )


def test_approval_moves_every_application_in_a_fixed_number_of_queries(officers, awaiting, year):
    applications = awaiting(3)
    batch = services.batch_build(actor=officers["maker"], graduation_year=year)
    with CaptureQueriesContext(connection) as queries:
        services.batch_approve(actor=officers["checker"], batch=batch)
    assert [_state(a) for a in applications] == [S.PAYING] * 3
    assert len(queries) < 20
    for application in applications:
        event = Application.objects.get(pk=application.pk).timeline.last()
        assert (event.action, event.from_state, event.to_state) == (
            "batch_approved",
            S.AWAITING_PAYMENT,
            S.PAYING,
        )
    batch.refresh_from_db()
    assert (batch.status, batch.approved_by) == ("approved", officers["checker"])
    with pytest.raises(DomainError) as error:
        services.batch_approve(actor=officers["checker"], batch=batch)
    assert error.value.code == "already_handled"


def test_a_batch_whose_application_moved_is_not_approved(officers, awaiting, year):
    one, two = awaiting(2)
    batch = services.batch_build(actor=officers["maker"], graduation_year=year)
    Application.objects.filter(pk=two.pk).update(state=S.REJECTED)
    with pytest.raises(DomainError) as error:
        services.batch_approve(actor=officers["checker"], batch=batch)
    assert error.value.code == "stale"
    assert _state(one) == S.AWAITING_PAYMENT  # nothing half-done
    services.batch_discard(actor=officers["checker"], batch=batch)
    assert not PaymentBatch.objects.exists() and not PaymentItem.objects.exists()
    assert services.batch_build(actor=officers["maker"], graduation_year=year).item_count == 1


def test_an_approved_batch_is_never_discarded(officers, awaiting, year):
    awaiting(1)
    batch = services.batch_build(actor=officers["maker"], graduation_year=year)
    services.batch_approve(actor=officers["checker"], batch=batch)
    with pytest.raises(DomainError):
        services.batch_discard(actor=officers["maker"], batch=batch)


def test_another_bureaus_officer_gets_not_found(officers, awaiting, year, world):
    awaiting(1)
    batch = services.batch_build(actor=officers["maker"], graduation_year=year)
    assert list(selectors.batch_list_for(officers["checker"])) == [batch]
    assert not selectors.batch_list_for(officers["other"]).exists()
    assert not selectors.batch_list_for(world["first"]).exists()  # a reviewer of the same bureau
    with pytest.raises(PaymentBatch.DoesNotExist):
        selectors.batch_get_for(officers["other"], batch.pk)
    for move in (services.batch_approve, services.batch_discard):
        with pytest.raises(DomainError) as error:
            move(actor=officers["other"], batch=batch)
        assert error.value.code == "not_found"
    for move in (services.bank_file_export, services.bank_file_excel):
        with pytest.raises(DomainError) as error:
            move(actor=officers["other"], batch=batch, bank="102")
        assert error.value.code == "not_found"
    with pytest.raises(DomainError) as error:
        services.return_file_import(
            actor=officers["other"], batch=batch, bank="102", filename="x.csv", data=b"x"
        )
    assert error.value.code == "not_found"


def test_an_inactive_officer_sees_nothing(officers, awaiting, year):
    awaiting(1)
    batch = services.batch_build(actor=officers["maker"], graduation_year=year)
    officers["checker"].is_active = False
    assert not selectors.batch_list_for(officers["checker"]).exists()
    with pytest.raises(DomainError) as error:
        services.batch_approve(actor=officers["checker"], batch=batch)
    assert error.value.code == "forbidden"
