"""The payments tests' world: the reviewers' world of the subsidy tests plus payment officers,
and applications brought to awaiting payment through the real services (submit, school,
公示, 初审, 复审)."""

import csv
import datetime
import io

import pytest

from servicehall.accounts.tests.factories import PersonFactory
from servicehall.subsidy.tests.conftest import make_staff, submit_for, world, year  # noqa: F401

from .. import bankfiles


@pytest.fixture
def officers(world):  # noqa: F811
    from servicehall.accounts.models import Organisation

    nanjing = world["nanjing"]
    suzhou = Organisation.objects.get(name="苏州市人力资源和社会保障局")
    return {
        "maker": make_staff(nanjing, "nj.finance1", "payment_officer", "13900000031"),
        "checker": make_staff(nanjing, "nj.finance2", "payment_officer", "13900000032"),
        "other": make_staff(suzhou, "sz.finance", "payment_officer", "13900000033"),
    }


def make_person(index: int):
    return PersonFactory(index=index)


def to_awaiting_payment(world, applications):  # noqa: F811
    from servicehall.subsidy import publicity, review

    ids = [a.pk for a in applications]
    review.applications_approve_by_school(actor=world["school"], application_ids=ids)
    notice = publicity.publicity_publish(actor=world["school"], application_ids=ids)
    publicity.publicities_close_due(now=notice.closes_at + datetime.timedelta(seconds=1))
    for pk in ids:
        review.application_approve_first(actor=world["first"], application_id=pk)
    for pk in ids:
        review.application_approve_second(actor=world["second"], application_id=pk)
    return ids


@pytest.fixture
def awaiting(world):  # noqa: F811
    """make(n): n applications of n people at 南京大学, awaiting payment."""
    from servicehall.subsidy.models import Application

    def make(count: int, start: int = 0):
        applications = [submit_for(make_person(start + i)) for i in range(count)]
        ids = to_awaiting_payment(world, applications)
        return list(Application.objects.filter(pk__in=ids).order_by("pk"))

    return make


def payment_rows(data: bytes) -> list[list[str]]:
    """The cells of a payment file, header and trailer included."""
    return list(csv.reader(io.StringIO(data.decode(bankfiles.ENCODING), newline="")))


def return_for(data: bytes, *, failed=None, encoding=bankfiles.ENCODING, bom=False, change=None) -> bytes:
    """The bank's answer to a payment file: every line 成功 unless `failed` ({record number:
    reason}) says otherwise; `change(cells)` may alter a line's (sequence, record number,
    account, amount_fen, result, reason) before it is written."""
    failed = failed or {}
    lines = []
    for cells in payment_rows(data)[1:-1]:
        sequence, record_number, _name, account, amount, _bank = cells
        reason = failed.get(record_number)
        line = [
            int(sequence),
            record_number,
            account,
            bankfiles.parse_amount(amount),
            "失败" if reason else "成功",
            reason or "",
        ]
        if change:
            line = change(line)
        if line:
            lines.append(tuple(line))
    return bankfiles.write_return_file(lines, encoding=encoding, bom=bom)
