"""The Excel copy of the page (same numbers, text cells safe from formula injection, audited)
and the 系统比对 panel, which says 暂无数据 until the cross-checks have results."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse
from openpyxl import load_workbook

from servicehall.audit.models import AuditEntry
from servicehall.payments.models import PaymentItem
from servicehall.reference.models import Region, School
from servicehall.subsidy.check_models import CheckResult
from servicehall.subsidy.constants import ApplicationStatus as S
from servicehall.subsidy.models import Application
from servicehall.verification.models import RegistryBatch
from tests.stats_data import make_cases

pytestmark = pytest.mark.django_db

EXPORT = reverse("stats:export")


def sheet_rows(workbook, title):
    return [row for row in workbook[title].iter_rows(values_only=True) if any(v is not None for v in row)]


def test_the_export_holds_the_pages_numbers_and_is_audited(client, world, cases):
    client.force_login(world["school"])
    response = client.get(EXPORT, {"year": 2027})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Cache-Control"] == "private, no-store"
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == [
        "概览",
        "按办理状态",
        "按城市",
        "按学校",
        "按毕业生类型",
        "每日提交量",
        "审核效率",
        "发放批次",
        "系统比对",
        "服务评价",
    ]
    mine = Application.objects.exclude(state=S.DRAFT).filter(school__name="南京大学")
    by_state = {row[0]: row[1] for row in sheet_rows(workbook, "按办理状态")[4:]}
    assert by_state[str(S.PAID.label)] == mine.filter(state=S.PAID).count()
    assert sum(by_state.values()) == mine.count()
    assert [row[:2] for row in sheet_rows(workbook, "按学校")[4:]] == [("南京大学", mine.count())]
    assert "范围：南京大学" in sheet_rows(workbook, "概览")[1][0]
    entry = AuditEntry.objects.get(action="stats.export")
    assert entry.actor == world["school"] and entry.detail["year"] == 2027


def test_money_is_numbers_in_yuan_days_are_dates_and_shares_are_percentages(client, world, cases):
    """A finance clerk can SUM the amounts and shares and sort by the dates."""
    client.force_login(world["operator"])
    workbook = load_workbook(io.BytesIO(b"".join(client.get(EXPORT).streaming_content)))
    exported_at = workbook["概览"]["B3"]
    assert workbook["概览"]["A3"].value == "导出时间"
    assert exported_at.is_date and isinstance(exported_at.value, datetime.datetime)
    assert exported_at.number_format == "yyyy-mm-dd hh:mm"
    overview = {row[0].value: row[1] for row in workbook["概览"].iter_rows(min_row=6) if row[0].value}
    paid_fen = PaymentItem.objects.filter(status="paid").aggregate(total=Sum("amount_fen"))["total"]
    paid = overview["已发放金额（元）"]
    assert paid_fen and paid.data_type == "n" and paid.number_format == "#,##0.00"
    assert Decimal(str(paid.value)) == Decimal(paid_fen) / 100

    batches = [row for row in workbook["发放批次"].iter_rows(min_row=6) if row[0].value]
    assert batches
    for row in batches:
        for cell in (row[4], row[6], row[8], row[10]):  # 金额, 已发放, 发放失败, 待银行处理 (元)
            assert cell.data_type == "n" and cell.number_format == "#,##0.00", cell.value
    # SUM over the column is the paid total of the overview.
    assert sum(Decimal(str(row[6].value)) for row in batches) == Decimal(paid_fen) / 100

    shares = [row[2] for row in workbook["按城市"].iter_rows(min_row=6) if row[0].value]
    assert shares and all(c.data_type == "n" and c.number_format == "0.0%" for c in shares)
    assert sum(c.value for c in shares) == pytest.approx(1)

    per_day = workbook["每日提交量"].iter_rows(min_row=6)
    days = [row[1] for row in per_day if isinstance(row[1].value, datetime.datetime)]
    assert days and all(c.is_date and c.number_format == "yyyy-mm-dd" for c in days)
    assert [c.value for c in days] == sorted(c.value for c in days)


def test_a_school_named_like_a_formula_stays_text(client, world, year, person):
    school = School.objects.create(
        name='=HYPERLINK("http://evil.example","点我")',
        city="南京市",
        region=Region.objects.get(code="320100"),
        authority="江苏省",
        level=School.Level.UNDERGRADUATE,
    )
    make_cases(20, year=year, schools=[school], applicant=person)
    client.force_login(world["operator"])
    workbook = load_workbook(io.BytesIO(b"".join(client.get(EXPORT).streaming_content)))
    names = [row[0] for row in sheet_rows(workbook, "按学校")[4:]]
    assert names == ["'" + school.name]
    cell = workbook["按学校"]["A6"]
    assert cell.data_type == "s" and cell.value.startswith("'=")


def test_without_check_results_the_panel_says_no_data(client, world, cases):
    client.force_login(world["operator"])
    response = client.get(reverse("stats:dashboard"))
    assert response.context["dashboard"].checks is None
    assert 'id="checks-empty"' in response.content.decode()


def _check_results(applications, *, failed: int) -> None:
    today = applications[0].submitted_at.date()
    for i, application in enumerate(applications):
        CheckResult.objects.create(
            application=application, rule="category", outcome="passed", checked_on=today
        )
        outcome = "failed" if i < failed else "passed"
        CheckResult.objects.create(
            application=application, rule="not_employed", outcome=outcome, checked_on=today
        )


def _list_imported(world) -> None:
    RegistryBatch.objects.create(
        registry="employment", source="省人社厅", data_date=datetime.date(2026, 8, 1),
        imported_by=world["operator"], filename="参保.xlsx", sha256="0" * 64,
        state=RegistryBatch.State.DONE,
    )


def test_without_any_list_imported_the_rate_says_so_not_zero(client, world, cases):
    """Nothing can pass a cross-check before a registry list is imported: 0.0 % would read as
    the applicants' failing (issue 17)."""
    _check_results(list(Application.objects.filter(school__name="南京大学").order_by("pk")[:4]), failed=4)
    client.force_login(world["operator"])
    response = client.get(reverse("stats:dashboard"))
    page = response.content.decode()
    assert response.context["dashboard"].checks.percent == "未导入名单"
    assert '<dd data-figure="checks">未导入名单</dd>' in page and 'id="checks-no-lists"' in page
    assert "通过率 0.0%" not in page
    overview = load_workbook(io.BytesIO(b"".join(client.get(EXPORT).streaming_content)))["概览"]
    assert ["系统比对通过率", "未导入名单"] in [[c.value for c in row] for row in overview.iter_rows()]
    _list_imported(world)
    overview = load_workbook(io.BytesIO(b"".join(client.get(EXPORT).streaming_content)))["概览"]
    rate = next(row for row in overview.iter_rows() if row[0].value == "系统比对通过率")[1]
    assert rate.data_type == "n" and rate.value == 0 and rate.number_format == "0.0%"
    assert client.get(reverse("stats:dashboard")).context["dashboard"].checks.percent == "0.0%"


def test_the_share_passed_by_the_cross_checks(client, world, cases):
    _list_imported(world)
    mine = list(Application.objects.filter(school__name="南京大学").order_by("pk")[:10])
    other = Application.objects.filter(school__name="苏州大学").first()
    today = mine[0].submitted_at.date()
    for i, application in enumerate([*mine, other]):
        CheckResult.objects.create(
            application=application, rule="category", outcome="passed", checked_on=today
        )
        outcome = "failed" if i < 3 else "passed"
        CheckResult.objects.create(
            application=application, rule="not_employed", outcome=outcome, checked_on=today
        )
    client.force_login(world["school"])
    response = client.get(reverse("stats:dashboard"))
    checks = response.context["dashboard"].checks
    assert (checks.checked, checks.passed, checks.percent) == (10, 7, "70.0%")
    assert "通过率 70.0%" in response.content.decode()


def test_the_ratings_of_the_cases_in_scope(client, world, cases):
    import datetime

    from django.utils import timezone

    from servicehall.evaluation.models import Evaluation

    paid = list(Application.objects.filter(school__name="南京大学", state=S.PAID).order_by("pk")[:3])
    other = Application.objects.filter(school__name="苏州大学", state=S.PAID).first()
    past = timezone.now() - datetime.timedelta(days=1)
    for application, rating in [(paid[0], 5), (paid[1], 4), (paid[2], 1), (other, 1)]:
        Evaluation.objects.create(
            application=application,
            rating=rating,
            organisation=world["school"].organisation,
            status="awaiting_reply" if rating == 1 else "closed",
            reply_due=past if rating == 1 else None,
        )
    client.force_login(world["school"])
    response = client.get(reverse("stats:dashboard"))
    rated = response.context["dashboard"].ratings
    assert (rated.total, rated.poor, rated.awaiting, rated.overdue) == (3, 1, 1, 1)
    assert dict(rated.by_grade) == {"非常满意": 1, "满意": 1, "基本满意": 0, "不满意": 0, "非常不满意": 1}
    assert rated.satisfied_percent == "66.7%"
    assert "满意率（基本满意及以上）66.7%" in response.content.decode()
    workbook = load_workbook(io.BytesIO(b"".join(client.get(EXPORT).streaming_content)))
    assert ("非常不满意", 1) in sheet_rows(workbook, "服务评价")
    share = next(row for row in workbook["服务评价"].iter_rows() if row[0].value == "满意率")[1]
    assert share.data_type == "n" and share.number_format == "0.0%" and share.value == pytest.approx(2 / 3)
