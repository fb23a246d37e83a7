"""Working-day arithmetic: the statutory calendar from `chinese_calendar`, operator overrides,
the Monday–Friday fallback for years the package does not know, and publicity deadlines.

The dates below are checked against chinese-calendar 1.11.0 (data for 2004–2026):
国庆·中秋 2025: 10-01..10-08 rest, Sunday 09-28 and Saturday 10-11 worked (调休);
中秋 2026: Friday 09-25..09-27 rest; 国庆 2026: 10-01..10-07 rest, Saturday 10-10 worked."""

import logging
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from django.contrib import admin
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from servicehall.reference import workdays
from servicehall.reference.models import WorkdayOverride
from servicehall.reference.workdays import (
    add_working_days,
    deadline_at,
    is_working_day,
    working_days_between,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A year chinese_calendar will never carry data for, so these tests survive package upgrades.
UNKNOWN_YEAR = 2999
LAST_KNOWN_YEAR = max(chinese_calendar.holidays).year


@pytest.fixture(autouse=True)
def _forget_warned_years():
    workdays._warned_years.clear()
    yield
    workdays._warned_years.clear()


def override(day: date, is_workday: bool, note: str = "") -> WorkdayOverride:
    return WorkdayOverride.objects.create(day=day, is_workday=is_workday, note=note)


# --- is_working_day ----------------------------------------------------------------------------


@pytest.mark.parametrize(("day", "expected"), [
    (date(2025, 3, 5), True),     # an ordinary Wednesday
    (date(2025, 3, 7), True),     # Friday
    (date(2025, 3, 8), False),    # Saturday
    (date(2025, 3, 9), False),    # Sunday
    (date(2025, 10, 1), False),   # 国庆节, a Wednesday
    (date(2025, 10, 8), False),   # the last day of the 2025 国庆·中秋 break, a Wednesday
    (date(2025, 9, 28), True),    # 调休: a Sunday that is a working day
    (date(2025, 10, 11), True),   # 调休: a Saturday that is a working day
    (date(2025, 10, 12), False),  # the Sunday after it rests as usual
    (date(2026, 9, 25), False),   # 中秋节 2026, a Friday
    (date(2026, 10, 10), True),   # 调休 Saturday after 国庆 2026
])
def test_weekdays_weekends_holidays_and_make_up_days(day, expected):
    assert is_working_day(day) is expected


def test_the_package_agrees_with_the_dates_these_tests_rely_on():
    """Guards the fixtures above: a package upgrade that changed them would show here first."""
    assert chinese_calendar.is_holiday(date(2025, 10, 1))
    assert chinese_calendar.is_workday(date(2025, 9, 28))
    assert chinese_calendar.is_holiday(date(2026, 9, 25))
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(UNKNOWN_YEAR, 1, 1))


def test_an_override_makes_a_rest_day_a_working_day():
    override(date(2025, 3, 8), True, "本地安排周六上班")
    override(date(2025, 10, 2), True)
    assert is_working_day(date(2025, 3, 8))
    assert is_working_day(date(2025, 10, 2))
    assert not is_working_day(date(2025, 3, 9))  # the neighbour is untouched


def test_an_override_makes_a_working_day_a_rest_day():
    override(date(2025, 3, 5), False)
    override(date(2025, 9, 28), False, "调休取消")
    assert not is_working_day(date(2025, 3, 5))
    assert not is_working_day(date(2025, 9, 28))
    assert is_working_day(date(2025, 3, 6))


# --- add_working_days --------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "n", "expected"), [
    (date(2025, 3, 7), 1, date(2025, 3, 10)),    # Friday + 1 → Monday
    (date(2025, 3, 6), 5, date(2025, 3, 13)),    # Thursday + 5 crosses one weekend
    (date(2025, 3, 8), 1, date(2025, 3, 10)),    # from a Saturday: Monday is the first
    (date(2025, 3, 5), 10, date(2025, 3, 19)),
    (date(2025, 9, 30), 1, date(2025, 10, 9)),   # the day before 国庆: next working day is 10-09
    (date(2025, 9, 26), 1, date(2025, 9, 28)),   # Friday + 1 → the 调休 Sunday
    (date(2025, 9, 26), 5, date(2025, 10, 10)),  # 9-28, 9-29, 9-30, 10-09, 10-10
    (date(2025, 9, 30), 3, date(2025, 10, 11)),  # 10-09, 10-10, the 调休 Saturday 10-11
    (date(2025, 9, 30), 4, date(2025, 10, 13)),
    (date(2025, 10, 4), 1, date(2025, 10, 9)),   # from inside the holiday
    (date(2026, 9, 25), 5, date(2026, 10, 9)),   # 中秋 Friday: 9-28, 9-29, 9-30, 10-08, 10-09
    (date(2026, 9, 30), 3, date(2026, 10, 10)),  # 10-08, 10-09, the 调休 Saturday 10-10
])
def test_add_working_days(start, n, expected):
    assert add_working_days(start, n) == expected


@pytest.mark.parametrize("start", [date(2025, 3, 5), date(2025, 3, 8), date(2025, 10, 1)])
def test_zero_working_days_is_the_start_itself(start, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert add_working_days(start, 0) == start


@pytest.mark.parametrize("n", [-1, workdays.MAX_WORKING_DAYS + 1])
def test_n_outside_the_supported_range_is_refused(n):
    with pytest.raises(ValueError, match="between 0 and"):
        add_working_days(date(2025, 3, 5), n)


def test_add_working_days_obeys_overrides_both_ways():
    override(date(2025, 3, 8), True)  # Saturday worked
    assert add_working_days(date(2025, 3, 7), 1) == date(2025, 3, 8)
    assert add_working_days(date(2025, 3, 7), 2) == date(2025, 3, 10)
    override(date(2025, 3, 10), False)  # Monday off
    assert add_working_days(date(2025, 3, 7), 2) == date(2025, 3, 11)
    override(date(2025, 9, 28), False)  # the 调休 Sunday cancelled
    assert add_working_days(date(2025, 9, 26), 1) == date(2025, 9, 29)


def test_overrides_that_leave_no_working_day_in_reach_raise_rather_than_loop():
    WorkdayOverride.objects.bulk_create(
        WorkdayOverride(day=date(2025, 3, 3) + timedelta(days=i), is_workday=False) for i in range(40)
    )
    with pytest.raises(ValueError, match="check the workday overrides"):
        add_working_days(date(2025, 3, 2), 1)


def test_query_count_does_not_grow_with_n(django_assert_max_num_queries):
    override(date(2025, 10, 11), False)
    for n in (1, 5, 20, workdays.MAX_WORKING_DAYS):
        with django_assert_max_num_queries(1):
            add_working_days(date(2025, 9, 1), n)
    with django_assert_max_num_queries(1):
        working_days_between(date(2025, 1, 1), date(2025, 12, 31))
    with django_assert_max_num_queries(1):
        deadline_at(datetime(2025, 9, 1, 9, tzinfo=SHANGHAI), workdays.MAX_WORKING_DAYS)


# --- years chinese_calendar does not know ------------------------------------------------------


@pytest.mark.parametrize(("day", "expected"), [
    (date(UNKNOWN_YEAR, 1, 1), True),   # a Tuesday: no holiday data, so a working day
    (date(UNKNOWN_YEAR, 1, 4), True),   # Friday
    (date(UNKNOWN_YEAR, 1, 5), False),  # Saturday
    (date(UNKNOWN_YEAR, 1, 6), False),  # Sunday
])
def test_an_unknown_year_falls_back_to_monday_to_friday(day, expected):
    assert is_working_day(day) is expected


def test_fallback_arithmetic_and_overrides_in_an_unknown_year():
    assert add_working_days(date(UNKNOWN_YEAR, 1, 4), 1) == date(UNKNOWN_YEAR, 1, 7)
    assert add_working_days(date(UNKNOWN_YEAR, 1, 1), 5) == date(UNKNOWN_YEAR, 1, 8)
    override(date(UNKNOWN_YEAR, 1, 1), False, "元旦")
    override(date(UNKNOWN_YEAR, 1, 5), True, "调休")
    assert not is_working_day(date(UNKNOWN_YEAR, 1, 1))
    assert add_working_days(date(UNKNOWN_YEAR, 1, 4), 1) == date(UNKNOWN_YEAR, 1, 5)


def test_the_year_after_the_package_data_ends_falls_back():
    """Whatever the installed version: counting past its last year goes on Monday–Friday."""
    first_unknown = date(LAST_KNOWN_YEAR + 1, 1, 1)
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(first_unknown)
    days = [first_unknown + timedelta(days=i) for i in range(14)]
    assert [is_working_day(day) for day in days] == [day.weekday() < 5 for day in days]
    weekdays_in_january = sum(
        (date(LAST_KNOWN_YEAR + 1, 1, d).weekday() < 5) for d in range(1, 32)
    )
    assert working_days_between(date(LAST_KNOWN_YEAR, 12, 31), date(LAST_KNOWN_YEAR + 1, 1, 31)) == (
        weekdays_in_january
    )


def test_the_fallback_is_logged_once_per_year(caplog):
    with caplog.at_level(logging.WARNING, logger="servicehall.reference.workdays"):
        is_working_day(date(UNKNOWN_YEAR, 1, 1))
        add_working_days(date(UNKNOWN_YEAR, 1, 1), 20)
        working_days_between(date(UNKNOWN_YEAR - 1, 12, 20), date(UNKNOWN_YEAR, 1, 10))
        is_working_day(date(2025, 3, 5))  # a known year logs nothing
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 2, messages
    assert str(UNKNOWN_YEAR) in messages[0]
    assert str(UNKNOWN_YEAR - 1) in messages[1]
    assert all(record.levelno == logging.WARNING for record in caplog.records)


# --- working_days_between ----------------------------------------------------------------------


@pytest.mark.parametrize(("start", "end", "expected"), [
    (date(2025, 3, 7), date(2025, 3, 10), 1),    # start excluded, end included
    (date(2025, 3, 6), date(2025, 3, 7), 1),
    (date(2025, 3, 7), date(2025, 3, 9), 0),     # only the weekend
    (date(2025, 9, 30), date(2025, 10, 9), 1),   # across 国庆
    (date(2025, 10, 1), date(2025, 10, 8), 0),   # inside 国庆
    (date(2025, 9, 26), date(2025, 10, 12), 6),  # 9-28, 9-29, 9-30, 10-09, 10-10, 10-11
    (date(2025, 3, 5), date(2025, 3, 5), 0),
    (date(2025, 3, 10), date(2025, 3, 5), 0),    # an empty interval
])
def test_working_days_between(start, end, expected):
    assert working_days_between(start, end) == expected


def test_working_days_between_obeys_overrides():
    override(date(2025, 3, 8), True)
    override(date(2025, 3, 10), False)
    assert working_days_between(date(2025, 3, 7), date(2025, 3, 11)) == 2  # Saturday, Tuesday


def test_a_range_too_long_is_refused():
    with pytest.raises(ValueError, match="longer than"):
        working_days_between(date(2020, 1, 1), date(2025, 1, 1))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=st.dates(min_value=date(2004, 1, 1), max_value=date(UNKNOWN_YEAR, 12, 1)),
    n=st.integers(min_value=0, max_value=workdays.MAX_WORKING_DAYS),
    rulings=st.dictionaries(st.integers(min_value=0, max_value=90), st.booleans(), max_size=10),
)
def test_working_days_between_undoes_add_working_days(start, n, rulings):
    with transaction.atomic():
        WorkdayOverride.objects.bulk_create(
            WorkdayOverride(day=start + timedelta(days=offset), is_workday=is_workday)
            for offset, is_workday in rulings.items()
        )
        end = add_working_days(start, n)
        assert end >= start
        assert working_days_between(start, end) == n
        if n:
            assert is_working_day(end)
            assert working_days_between(start, end - timedelta(days=1)) == n - 1
        transaction.set_rollback(True)


# --- deadline_at -------------------------------------------------------------------------------


def test_a_notice_published_before_mid_autumn_2026_closes_after_national_day():
    published_at = datetime(2026, 9, 25, 10, 30, tzinfo=SHANGHAI)
    closes = deadline_at(published_at, 5)
    assert closes == datetime(2026, 10, 10, 0, 0, tzinfo=SHANGHAI)  # end of Friday 10-09
    assert closes.utcoffset() == timedelta(hours=8)
    assert (closes.hour, closes.minute, closes.second, closes.microsecond) == (0, 0, 0, 0)
    assert closes.astimezone(UTC) == datetime(2026, 10, 9, 16, 0, tzinfo=UTC)


def test_deadline_uses_the_beijing_date_of_the_start_not_utc():
    # 17:00 UTC on Thursday 2025-03-06 is 01:00 on Friday 03-07 in Beijing.
    published_at = datetime(2025, 3, 6, 17, 0, tzinfo=UTC)
    expected = datetime(2025, 3, 11, 0, 0, tzinfo=SHANGHAI)  # end of Monday 03-10
    assert deadline_at(published_at, 1) == expected
    with timezone.override(ZoneInfo("America/New_York")):
        assert deadline_at(published_at, 1) == expected


def test_deadline_at_zero_days_is_the_end_of_the_start_day():
    published_at = datetime(2025, 10, 1, 23, 59, tzinfo=SHANGHAI)
    assert deadline_at(published_at, 0) == datetime(2025, 10, 2, 0, 0, tzinfo=SHANGHAI)


def test_deadline_at_refuses_a_naive_datetime():
    with pytest.raises(ValueError, match="aware"):
        deadline_at(datetime(2025, 3, 6, 9, 0), 5)


# --- admin -------------------------------------------------------------------------------------


def test_overrides_are_in_the_admin(client, django_user_model):
    assert admin.site.is_registered(WorkdayOverride)
    model_admin = admin.site._registry[WorkdayOverride]
    assert list(model_admin.list_display) == ["day", "is_workday", "note"]
    assert model_admin.date_hierarchy == "day"
    assert WorkdayOverride._meta.verbose_name == "工作日调整"

    override(date(2027, 2, 14), True, "2027年春节调休")
    client.force_login(django_user_model.objects.create_superuser("workday-operator", "x"))
    response = client.get("/admin/reference/workdayoverride/")
    assert response.status_code == 200
    assert "2027年春节调休" in response.content.decode()
    response = client.post("/admin/reference/workdayoverride/add/", {
        "day": "2027-02-20", "is_workday": "on", "note": "调休上班",
    })
    assert response.status_code == 302
    assert WorkdayOverride.objects.get(day=date(2027, 2, 20)).is_workday
