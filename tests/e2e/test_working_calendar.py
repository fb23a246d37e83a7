"""节假日安排 (issue 17): a window is set in a year the installed calendar does not know; the
operator's workbench warns of it, the operator opens 节假日安排, a file with a wrong line is
refused beside the field, the corrected file is imported, and the warnings are gone. Desktop
and phone, axe on every page."""

import datetime

import chinese_calendar
import pytest
from playwright.sync_api import expect

from servicehall.subsidy.models import ApplicationWindow, WindowKind
from servicehall.subsidy.tests import factories as subsidy_setup
from servicehall.subsidy.years import graduation_year_setup

from .conftest import check_page, log_in_staff

# The first year neither the installed package nor time has caught up with.
UNKNOWN = max(max(chinese_calendar.holidays).year, datetime.date.today().year) + 1


def _first(weekday: int) -> datetime.date:
    day = datetime.date(UNKNOWN, 2, 1)
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


MONDAY, SUNDAY = _first(0), _first(6)


@pytest.fixture
def window_in_an_unknown_year(db):
    year = graduation_year_setup(year=subsidy_setup.YEAR)
    ApplicationWindow.objects.filter(graduation_year=year, kind=WindowKind.MAIN).update(
        opens_on=datetime.date(UNKNOWN, 5, 6), closes_on=datetime.date(UNKNOWN, 6, 30)
    )
    return year


def _upload(page, text: str) -> None:
    page.get_by_label("年度").select_option(str(UNKNOWN))
    page.get_by_label("节假日安排表").set_input_files(
        {"name": f"{UNKNOWN}年节假日.csv", "mimeType": "text/csv", "buffer": text.encode()}
    )
    page.get_by_role("button", name="上传并导入").click()


def test_the_operator_imports_a_years_holidays(live_server, new_context, viewport_name, sms_code, operator,
                                               window_in_an_unknown_year):
    page = new_context().new_page()
    log_in_staff(page, live_server.url, sms_code, operator)
    warning = page.locator("#calendar-gaps")
    expect(warning).to_contain_text(f"节假日数据缺少{UNKNOWN}年")
    check_page(page, viewport=viewport_name)

    warning.get_by_role("link", name="导入节假日安排").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("节假日安排")
    expect(page.get_by_label("年度")).to_have_value(str(UNKNOWN))
    check_page(page, shot="calendar", viewport=viewport_name)

    # A make-up working day typed on a weekday: the whole file is refused, the line named.
    wednesday = MONDAY + datetime.timedelta(days=2)
    _upload(page, f"日期,安排,说明\n{MONDAY},放假,春节\n{wednesday},上班,春节调休\n")
    expect(page.locator("#field-file .field__error")).to_contain_text("第3行")
    expect(page.locator("#calendar-gaps")).to_be_visible()
    check_page(page, viewport=viewport_name)

    _upload(page, f"日期,安排,说明\n{MONDAY},放假,春节\n{SUNDAY},上班,春节调休\n")
    said = f"已导入{UNKNOWN}年节假日安排：放假1天，调休上班1天"
    expect(page.locator(".notice--success").first).to_contain_text(said)
    expect(page.locator("#calendar-gaps")).to_have_count(0)
    expect(page.locator("table tbody tr")).to_contain_text(str(UNKNOWN))
    check_page(page, viewport=viewport_name)

    page.get_by_role("link", name="返回工作台").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("工作台")
    expect(page.locator("#calendar-gaps")).to_have_count(0)
