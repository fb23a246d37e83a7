"""Working-day arithmetic (工作日计算) for publicity periods (公示期) and review time limits.

Why not simply Monday–Friday: Chinese statutory holidays close offices on weekdays, and the
调休 arrangement makes some Saturdays and Sundays working days. The State Council publishes each
year's arrangement in November, and the `chinese_calendar` package carries it from its next
release; it raises `NotImplementedError` for a year it does not know yet.

So a date is decided, in this order, by:
1. a `WorkdayOverride` row an operator entered (for a year the package does not know yet, or a
   local arrangement) — the operator has the last word;
2. `chinese_calendar.is_workday`;
3. for a year the package does not know: Monday–Friday, with a warning logged once per year so
   someone enters that year's holidays as overrides (or upgrades the package).

Each call reads the overrides it may need in one query, never one per day, and every loop is
bounded: `n` is at most `MAX_WORKING_DAYS`.
"""

import logging
from datetime import date, datetime, time, timedelta

import chinese_calendar

from servicehall.core.moments import BEIJING

from .models import CalendarYear, WorkdayOverride

logger = logging.getLogger(__name__)

# The working calendar is China's, whatever TIME_ZONE or the active time zone says.
SHANGHAI = BEIJING

# The longest time limit the hall uses is well below this; it bounds every loop here.
MAX_WORKING_DAYS = 60
# Calendar days searched for n working days: 2n + 30. The package's data (2004–2026) never needs
# more than 96 days for 60 working days, nor 11 for one, so only overrides that mark weeks of
# extra rest days could exhaust it, and then the data is wrong, not the deadline.
_SEARCH_MARGIN_DAYS = 30
# How far past a day a time limit that starts on it may count (the search above, for the longest).
COUNTING_REACH = timedelta(days=2 * MAX_WORKING_DAYS + _SEARCH_MARGIN_DAYS)
# working_days_between counts over at most this many calendar days.
MAX_SPAN_DAYS = 3 * 366

_ONE_DAY = timedelta(days=1)
# Years for which the Monday–Friday fallback has been logged in this process.
_warned_years: set[int] = set()


def _overrides(first: date, last: date) -> dict[date, bool]:
    """The operator's rulings for first..last inclusive, in one query."""
    return dict(
        WorkdayOverride.objects.filter(day__range=(first, last)).values_list("day", "is_workday")
    )


def _calendar_says(day: date) -> bool:
    """The package's answer, or Monday–Friday for a year it does not know."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if day.year not in _warned_years:
            _warned_years.add(day.year)
            logger.warning(
                "chinese_calendar has no holiday data for %d: treating Monday to Friday as working "
                "days. Enter that year's holidays and make-up working days as workday overrides "
                "in the admin, or upgrade chinese-calendar.",
                day.year,
            )
        return day.weekday() < 5


def package_knows(year: int) -> bool:
    """Whether `chinese_calendar` holds the statutory holidays of `year`."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def years_unknown(years) -> list[int]:
    """Of `years`, those the hall counts Monday to Friday for: neither the package nor an
    operator's import (CalendarYear) gives their holidays. One query at most."""
    missing = [year for year in sorted(set(years)) if not package_knows(year)]
    if not missing:
        return []
    imported = set(CalendarYear.objects.filter(year__in=missing).values_list("year", flat=True))
    return [year for year in missing if year not in imported]


def _is_working(day: date, overrides: dict[date, bool]) -> bool:
    ruling = overrides.get(day)
    return _calendar_says(day) if ruling is None else ruling


def _check_n(n: int) -> None:
    if not 0 <= n <= MAX_WORKING_DAYS:
        raise ValueError(f"n must be between 0 and {MAX_WORKING_DAYS} working days, got {n}")


def is_working_day(day: date) -> bool:
    """Whether offices work on `day`: an override first, then the statutory calendar."""
    return _is_working(day, _overrides(day, day))


def add_working_days(start: date, n: int) -> date:
    """The date on which the n-th working day after `start` falls; `start` itself does not
    count, whether or not it is a working day (a notice published on a Friday, or on a holiday,
    starts counting the next working day). n=0 gives `start`.

    Raises ValueError for n outside 0..MAX_WORKING_DAYS, or when overrides mark so many rest days
    that n working days do not fit in the searched window (2n + 30 calendar days).
    """
    _check_n(n)
    if n == 0:
        return start
    last = start + timedelta(days=2 * n + _SEARCH_MARGIN_DAYS)
    overrides = _overrides(start + _ONE_DAY, last)
    day, counted = start, 0
    while day < last:
        day += _ONE_DAY
        if _is_working(day, overrides):
            counted += 1
            if counted == n:
                return day
    raise ValueError(
        f"only {counted} working days found between {start} and {last}: check the workday overrides"
    )


def working_days_between(start: date, end: date) -> int:
    """How many working days fall in (start, end]: `start` excluded, `end` included, so that
    working_days_between(d, add_working_days(d, n)) == n. 0 when end <= start.

    Raises ValueError when the range is longer than MAX_SPAN_DAYS.
    """
    if end <= start:
        return 0
    if (end - start).days > MAX_SPAN_DAYS:
        raise ValueError(f"range {start}..{end} is longer than {MAX_SPAN_DAYS} days")
    overrides = _overrides(start + _ONE_DAY, end)
    days = (start + timedelta(days=i) for i in range(1, (end - start).days + 1))
    return sum(_is_working(day, overrides) for day in days)


def deadline_at(start: datetime, n: int) -> datetime:
    """The moment a period of n working days that begins at `start` ends: 24:00 Beijing time of
    the n-th working day after start's local date, i.e. 00:00 of the following day, as an aware
    datetime in Asia/Shanghai. A notice "open for 5 working days" closes at
    deadline_at(published_at, 5); compare with `timezone.now()` (`now < deadline` = still open).
    n=0 gives the end of start's own local day.
    """
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValueError("deadline_at needs an aware datetime")
    last_day = add_working_days(start.astimezone(SHANGHAI).date(), n)
    return datetime.combine(last_day + _ONE_DAY, time(0), tzinfo=SHANGHAI)


def overdue_if_started_before(today: date, n: int) -> date:
    """For counting overdue items in one WHERE clause instead of a deadline per row: a period of
    n working days that began on a (local) date d has ended by 00:00 of `today`, i.e.
    `deadline_at(d, n) <= today 00:00`, exactly when d is before the returned date. That date is
    the n-th working day counting back from yesterday (`today` itself for n=0). One query.

    Raises ValueError for n outside 0..MAX_WORKING_DAYS, or when overrides mark so many rest days
    that n working days do not fit in the searched window, as add_working_days does.
    """
    _check_n(n)
    if n == 0:
        return today
    first = today - timedelta(days=2 * n + _SEARCH_MARGIN_DAYS)
    overrides = _overrides(first, today - _ONE_DAY)
    day, counted = today, 0
    while day > first:
        day -= _ONE_DAY
        if _is_working(day, overrides):
            counted += 1
            if counted == n:
                return day
    raise ValueError(
        f"only {counted} working days found between {first} and {today}: check the workday overrides"
    )
