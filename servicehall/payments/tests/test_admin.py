"""Operators read batches, lines and imports in the admin: masked, and never changed there."""

import pytest

from servicehall.payments import services
from servicehall.payments.tests.factories import return_for
from tests.clients import staff_client

pytestmark = pytest.mark.django_db


def test_the_admin_reads_masked_lines_and_changes_nothing(
    client, operator, sms_code, officers, awaiting, year
):
    (application,) = awaiting(1)
    batch = services.batch_build(actor=officers["maker"], graduation_year=year)
    services.batch_approve(actor=officers["checker"], batch=batch)
    _name, data = services.bank_file_export(actor=officers["maker"], batch=batch, bank="102")
    services.return_file_import(
        actor=officers["maker"], batch=batch, bank="102", filename="r.csv", data=return_for(data)
    )
    staff_client(operator, sms_code, client=client)
    item = batch.items.get()
    pages = [
        "/admin/payments/paymentbatch/",
        f"/admin/payments/paymentbatch/{batch.pk}/change/",
        "/admin/payments/paymentitem/",
        f"/admin/payments/paymentitem/{item.pk}/change/",
        "/admin/payments/bankfile/",
        "/admin/payments/returnimport/",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert application.account not in response.content.decode()
    assert f"**** {application.account[-4:]}" in client.get("/admin/payments/paymentitem/").content.decode()
    assert client.get("/admin/payments/paymentbatch/add/").status_code == 403
    assert client.post(f"/admin/payments/paymentitem/{item.pk}/delete/").status_code == 403
