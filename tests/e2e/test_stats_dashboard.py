"""数据统计 in the browser: an operator opens the dashboard from 工作台 over a generated year of
3,000 applications and every number in its tables is the database's (counted here with plain
ORM queries, not through the dashboard's code); the Excel copy says the same. A school reviewer
sees only their own school. Desktop and phone, axe on every page."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from servicehall.audit.models import AuditEntry
from servicehall.payments.models import PaymentItem
from servicehall.stats.tests.factories import stats_schools, stats_world
from servicehall.subsidy.constants import CONCLUDED, ApplicationStatus
from servicehall.subsidy.models import Application
from servicehall.subsidy.selectors import category_index
from tests.stats_data import make_cases

from .conftest import check_page, log_in_staff

S = ApplicationStatus
COUNT = 3000



@pytest.fixture
def world(organisations, operator, school_reviewer):
    """The schools, bureaus and staff of the statistics' tests."""
    return stats_world(operator, school_reviewer)


@pytest.fixture
def schools(db):
    return stats_schools()


def table(page, table_id: str) -> dict[str, int]:
    """{row heading: first number} of a table as the page shows it (closed <details> included)."""
    rows = page.locator(f"#{table_id} tbody tr")
    found = {}
    for i in range(rows.count()):
        row = rows.nth(i)
        found[row.locator("th").text_content().strip()] = int(
            row.locator("td").first.text_content().strip().replace(",", "")
        )
    return found


def figure(page, name: str) -> str:
    return page.locator(f'[data-figure="{name}"]').text_content().strip()


def test_the_dashboards_numbers_are_the_databases(
    live_server, page, new_context, viewport_name, sms_code, world, schools, year, person
):
    base, vp = live_server.url, viewport_name
    make_cases(
        COUNT,
        year=year,
        schools=list(schools.values()),
        applicant=person,
        bureau=world["nanjing"],
        makers=(world["maker"], world["checker"]),
        batch_size=400,
    )
    applications = Application.objects.filter(graduation_year=year).exclude(state=S.DRAFT)

    # 1. The operator: 工作台 → 数据统计, the whole province.
    log_in_staff(page, base, sms_code, world["operator"])
    page.locator("main").get_by_role("link", name="数据统计").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("求职创业补贴数据统计")
    expect(page.locator("#stats-scope")).to_contain_text("2027届毕业生 · 统计范围：全省")
    check_page(page, shot="stats-dashboard", viewport=vp)

    assert figure(page, "total") == str(COUNT) == str(applications.count())
    assert figure(page, "concluded") == str(applications.filter(state__in=CONCLUDED).count())
    assert figure(page, "in_progress") == str(applications.exclude(state__in=CONCLUDED).count())
    paid = PaymentItem.objects.filter(status="paid").count()
    assert paid > 0 and figure(page, "paid") == f"{paid}笔合计 {paid * 1500:,}.00 元"

    assert table(page, "table-state") == {
        str(state.label): applications.filter(state=state).count() for state in S if state != S.DRAFT
    }
    assert table(page, "table-city") == {
        "南京市": applications.filter(school__region__code="320100").count(),
        "苏州市": applications.filter(school__region__code="320500").count(),
    }
    assert table(page, "table-school") == {
        name: applications.filter(school__name=name).count() for name in ("南京大学", "东南大学", "苏州大学")
    }
    assert table(page, "table-category") == {
        category.name: applications.filter(category_index=category_index(category.code)).count()
        for category in year.categories.all()
    }
    window = year.windows.get(kind="main")
    days = table(page, "table-days-0")
    assert len(days) == (window.closes_on - window.opens_on).days + 1
    for day, count in days.items():
        assert count == applications.filter(submitted_at__date=day).count(), day
    steps = table(page, "table-steps")  # first number of each step: its time limit, then 待办
    assert set(steps) == {"学校审核", "学校发布公示", "人社初审", "人社复审"}
    first_review = page.locator("#table-steps tbody tr").filter(has_text="人社初审")
    waiting = first_review.locator("td").nth(1).text_content()
    assert int(waiting) == applications.filter(state=S.FIRST_REVIEW).count()
    expect(page.locator("svg#chart-state title")).to_have_text("按办理状态统计申请件数")
    expect(page.locator("svg.chart--line")).to_have_count(1)  # no submission in May yet

    # 2. The Excel copy of the page says the same, and the export is recorded.
    with page.expect_download() as download:
        page.get_by_role("link", name="导出Excel").click()
    with open(download.value.path(), "rb") as saved:
        workbook = load_workbook(io.BytesIO(saved.read()))
    overview = {row[0]: row[1] for row in workbook["概览"].iter_rows(min_row=6, values_only=True)}
    assert overview["申请总数（不含草稿）"] == COUNT
    assert AuditEntry.objects.filter(action="stats.export", actor=world["operator"]).count() == 1

    # 3. A school reviewer sees their own school only.
    reviewer = new_context().new_page()
    log_in_staff(reviewer, base, sms_code, world["school"])
    reviewer.locator("main").get_by_role("link", name="数据统计").click()
    expect(reviewer.locator("#stats-scope")).to_contain_text("统计范围：南京大学")
    check_page(reviewer, viewport=vp)
    mine = applications.filter(school__name="南京大学")
    assert table(reviewer, "table-school") == {"南京大学": mine.count()}
    assert figure(reviewer, "total") == str(mine.count())
    assert table(reviewer, "table-state")[str(S.PAID.label)] == mine.filter(state=S.PAID).count()
    main = reviewer.locator("main").text_content()
    assert "东南大学" not in main and "苏州大学" not in main
    expect(reviewer.locator("#id_school, #id_city")).to_have_count(0)  # only operators choose
