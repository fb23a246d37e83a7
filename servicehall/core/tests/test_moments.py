"""The end of a period is written one way everywhere: a period ending at 00:00 Beijing time is
"the day before, 24:00", never the next day's 00:00 (issue 17)."""

import datetime
from zoneinfo import ZoneInfo

from django.template import Context, Template

from servicehall.core.moments import end_text, last_day

BEIJING = ZoneInfo("Asia/Shanghai")
MIDNIGHT = datetime.datetime(2026, 12, 11, 0, 0, tzinfo=BEIJING)


def test_a_period_ending_at_midnight_reads_as_the_last_day_at_24():
    assert end_text(MIDNIGHT) == "2026-12-10 24:00"
    assert last_day(MIDNIGHT) == datetime.date(2026, 12, 10)


def test_the_same_moment_in_utc_reads_the_same():
    in_utc = MIDNIGHT.astimezone(datetime.UTC)  # 2026-12-10 16:00 UTC
    assert end_text(in_utc) == "2026-12-10 24:00"
    assert last_day(in_utc) == datetime.date(2026, 12, 10)


def test_a_moment_that_is_not_midnight_is_written_as_it_is():
    moment = datetime.datetime(2026, 12, 10, 17, 30, tzinfo=BEIJING)
    assert end_text(moment) == "2026-12-10 17:30"
    assert last_day(moment) == datetime.date(2026, 12, 10)
    one_second_past = MIDNIGHT + datetime.timedelta(seconds=1)
    assert end_text(one_second_past) == "2026-12-11 00:00" and last_day(one_second_past) == MIDNIGHT.date()


def test_the_filters_write_the_same_and_nothing_for_no_moment():
    template = Template(
        "{% load moments %}[{{ m|period_end }}][{{ m|period_last_day }}][{{ none|period_end }}]"
    )
    assert template.render(Context({"m": MIDNIGHT, "none": None})) == "[2026-12-10 24:00][2026-12-10][]"
