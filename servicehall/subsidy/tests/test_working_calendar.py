"""节假日安排 (issue 17): the hall warns the operator, on the workbench and the year set-up,
while it would count working days in a year whose holidays it does not know, and the operator
imports that year's 放假 and 调休上班 days from a file, which the time limits then follow."""

import datetime
import io

import chinese_calendar
import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from servicehall.audit.models import AuditEntry
from servicehall.reference.models import CalendarYear, WorkdayOverride
from servicehall.reference.workdays import add_working_days, is_working_day
from servicehall.subsidy.models import ApplicationWindow
from servicehall.subsidy.working_calendar import calendar_gaps
from tests.clock import frozen

pytestmark = pytest.mark.django_db
# Whatever the installed package knows, the year after its last is the one it does not.
KNOWN = max(chinese_calendar.holidays).year
UNKNOWN = KNOWN + 1
PAGE = reverse("subsidy:calendar")
LATE_IN_KNOWN = datetime.datetime(KNOWN, 12, 1, 10, tzinfo=datetime.UTC)
MID_KNOWN = datetime.datetime(KNOWN, 6, 1, 10, tzinfo=datetime.UTC)


def _first(weekday: int, month: int = 2) -> datetime.date:
    """The first Monday (0) … Sunday (6) of `month` in the unknown year."""
    day = datetime.date(UNKNOWN, month, 1)
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


REST_MONDAY, WORK_SUNDAY = _first(0), _first(6)
TUESDAY = REST_MONDAY + datetime.timedelta(days=1)
GOOD_CSV = (
    f"日期,安排,说明\n{REST_MONDAY},放假,春节\n{TUESDAY},放假,春节\n"
    f"{WORK_SUNDAY},上班,春节调休\n"
).encode()


def _csv(text: str, name: str = "holidays.csv"):
    upload = io.BytesIO(text.encode("gb18030") if isinstance(text, str) else text)
    upload.name = name
    return upload


def _import(client, data, year=UNKNOWN, name="holidays.csv"):
    return client.post(PAGE, {"year": year, "file": _csv(data, name)}, follow=True)


def test_the_gaps_are_the_years_counted_soon_that_nobody_gave_the_holidays_of(year):
    windows = ApplicationWindow.objects.filter(graduation_year=year)
    windows.update(opens_on=datetime.date(KNOWN, 1, 1), closes_on=datetime.date(KNOWN, 1, 31))
    assert calendar_gaps(datetime.date(KNOWN, 6, 1)) == []  # 150 days ahead stay in KNOWN
    assert calendar_gaps(datetime.date(KNOWN, 12, 1)) == [UNKNOWN]  # a time limit begun now
    windows.filter(pk=windows.first().pk).update(
        opens_on=datetime.date(UNKNOWN, 5, 1), closes_on=datetime.date(UNKNOWN, 6, 30)
    )
    assert calendar_gaps(datetime.date(KNOWN, 6, 1)) == [UNKNOWN]  # a window set in it
    CalendarYear.objects.create(
        year=UNKNOWN, rest_days=1, working_weekend_days=0, filename="x.csv", sha256="0" * 64,
        imported_by=_anyone(), imported_at=timezone.now(),
    )
    assert calendar_gaps(datetime.date(KNOWN, 12, 1)) == []


def _anyone():
    from servicehall.accounts.tests.factories import PersonFactory

    return PersonFactory(index=60)


def test_the_operator_is_warned_on_the_workbench_and_the_year_set_up(client, operator, world):
    with frozen(LATE_IN_KNOWN):
        client.force_login(operator)
        home = client.get(reverse("accounts:staff_home")).content.decode()
        assert 'id="calendar-gaps"' in home and f"节假日数据缺少{UNKNOWN}年" in home
        assert f'href="{PAGE}"' in home
        setup = client.get("/admin/subsidy/graduationyear/").content.decode()
        assert f"节假日数据缺少{UNKNOWN}年" in setup
        # A reviewer sets no dates: no warning for them.
        client.force_login(world["school"])
        assert 'id="calendar-gaps"' not in client.get(reverse("accounts:staff_home")).content.decode()
    with frozen(MID_KNOWN):
        client.force_login(operator)
        assert 'id="calendar-gaps"' not in client.get(reverse("accounts:staff_home")).content.decode()


def test_importing_a_year_replaces_its_overrides_and_the_counting_follows(client, operator):
    WorkdayOverride.objects.create(day=datetime.date(UNKNOWN, 3, 2), is_workday=False, note="旧的")
    with frozen(LATE_IN_KNOWN):
        client.force_login(operator)
        page = client.get(PAGE).content.decode()
        assert f"节假日数据缺少{UNKNOWN}年" in page and f'<option value="{UNKNOWN}" selected>' in page
        response = _import(client, GOOD_CSV)
        page = response.content.decode()
        assert response.redirect_chain == [(PAGE, 302)]
        assert f"已导入{UNKNOWN}年节假日安排：放假2天，调休上班1天" in page
        assert 'id="calendar-gaps"' not in page and "近期要用到的年度，节假日数据都已齐全" in page
    assert sorted(WorkdayOverride.objects.values_list("day", "is_workday")) == [
        (REST_MONDAY, False), (TUESDAY, False), (WORK_SUNDAY, True),
    ]
    assert not is_working_day(REST_MONDAY) and is_working_day(WORK_SUNDAY)
    friday_before = REST_MONDAY - datetime.timedelta(days=3)
    assert add_working_days(friday_before, 1) == REST_MONDAY + datetime.timedelta(days=2)
    imported = CalendarYear.objects.get(year=UNKNOWN)
    assert (imported.rest_days, imported.working_weekend_days, imported.imported_by) == (2, 1, operator)
    entry = AuditEntry.objects.get(action="config.calendar_import")
    assert entry.detail == {"year": UNKNOWN, "rest_days": 2, "working_weekend_days": 1}


def test_an_xlsx_with_real_dates_is_read_too(client, operator):
    book = Workbook()
    sheet = book.active
    sheet.append(["日期", "安排", "说明"])
    sheet.append([datetime.datetime.combine(REST_MONDAY, datetime.time()), "放假", "春节"])
    sheet.append([WORK_SUNDAY.isoformat(), "调休上班", ""])
    data = io.BytesIO()
    book.save(data)
    client.force_login(operator)
    response = _import(client, data.getvalue(), name="holidays.xlsx")
    assert "放假1天，调休上班1天" in response.content.decode()


@pytest.mark.parametrize(("data", "said"), [
    (f"日期,安排\n{REST_MONDAY},放假\n{KNOWN}-10-01,放假\n", f"第3行：{KNOWN}-10-01不在{UNKNOWN}年"),
    (f"日期,安排\n{REST_MONDAY},放假\n{REST_MONDAY},放假\n", f"第3行：{REST_MONDAY}重复出现"),
    (f"日期,安排\n{REST_MONDAY},放假\n{TUESDAY},上班\n", "调休上班日应为周六或周日"),
    (f"日期,安排\n{REST_MONDAY},请假\n", "第2行：安排应填“放假”或“上班”"),
    ("日期,安排\n2月8日,放假\n", f"第2行：日期应写成{UNKNOWN}-01-01的形式"),
    (f"日子,安排\n{REST_MONDAY},放假\n", "第一行应为表头：日期、安排"),
    (f"日期,安排\n{WORK_SUNDAY},上班\n", "文件中没有放假日期"),
    ("日期,安排\n", "文件中没有放假日期"),
    ("", "上传的文件是空的"),
    ("\x00\x01binary", "无法识别文件内容"),
])
def test_a_file_with_a_bad_line_is_refused_whole_next_to_the_field(client, operator, data, said):
    WorkdayOverride.objects.create(day=datetime.date(UNKNOWN, 3, 2), is_workday=False, note="旧的")
    client.force_login(operator)
    response = _import(client, data)
    page = response.content.decode()
    assert response.status_code == 200 and said in page, page[page.find("errorlist"):][:400]
    assert list(WorkdayOverride.objects.values_list("note", flat=True)) == ["旧的"]
    assert not CalendarYear.objects.exists()


def test_a_tampered_year_and_someone_not_an_operator_are_refused(client, operator, world):
    client.force_login(operator)
    page = _import(client, GOOD_CSV, year="1900").content.decode()
    assert "请选择年度" in page and not CalendarYear.objects.exists()
    client.force_login(world["school"])
    assert client.get(PAGE).status_code == 403
    assert _import(client, GOOD_CSV).status_code == 403
    assert not CalendarYear.objects.exists()
