"""Issue 15: 发放统计 showed 2笔 3,000.00 元 for one person paid 1,500 元 after a failed line and a
re-issue, while /stats/ was right. The figures are now defined once (payments/figures.py)."""

import pytest
from django.urls import reverse

from servicehall.cards.models import SocialSecurityCard
from servicehall.payments import services
from servicehall.payments.figures import figures_of
from servicehall.payments.models import PaymentItem
from servicehall.payments.tests.factories import return_for
from servicehall.subsidy.constants import ApplicationStatus as S
from servicehall.subsidy.models import Application

pytestmark = pytest.mark.django_db


def _pay(officers, year, *, failed=None):
    batch = services.batch_build(actor=officers["maker"], graduation_year=year)
    services.batch_approve(actor=officers["checker"], batch=batch)
    _name, data = services.bank_file_export(actor=officers["maker"], batch=batch, bank="102")
    services.return_file_import(
        actor=officers["maker"],
        batch=batch,
        bank="102",
        filename=f"r{batch.pk}.csv",
        data=return_for(data, failed=failed),
    )
    return batch


@pytest.fixture
def paid_after_reissue(officers, awaiting, year):
    (application,) = awaiting(1)
    _pay(officers, year, failed={application.record_number: "账户未开通金融功能"})
    assert Application.objects.get(pk=application.pk).state == S.PAYMENT_FAILED
    SocialSecurityCard.objects.filter(id_number_index=application.id_number_index).update(
        financial_active=True
    )
    application = Application.objects.select_related("applicant").get(pk=application.pk)
    services.payment_reissue(actor=application.applicant, application=application)
    _pay(officers, year)
    assert Application.objects.get(pk=application.pk).state == S.PAID
    return application


def test_one_person_paid_after_a_reissue_counts_once(paid_after_reissue):
    figures = figures_of(PaymentItem.objects.all())
    assert (figures["persons"], figures["due"], figures["paid_count"], figures["paid"]) == (
        1,
        "1,500.00 元",
        1,
        "1,500.00 元",
    )
    assert (figures["failed_count"], figures["reissues"], figures["pending_count"]) == (1, 1, 0)


def test_the_totals_page_and_the_dashboard_say_the_same(client, officers, operator, year, paid_after_reissue):
    client.force_login(officers["maker"])
    page = client.get(reverse("payments:totals")).content.decode()
    year_row = page[page.index('id="year-title"') : page.index('id="batch-totals-title"')]
    assert "3,000.00" not in year_row
    assert '<td data-label="人数">1</td>' in year_row
    assert "1人，1,500.00 元" in year_row and "1次" in year_row

    client.force_login(operator)
    dashboard = client.get(reverse("stats:dashboard"), {"year": year.pk}).content.decode()
    assert "已发放 1 笔，合计 1,500.00 元" in dashboard
