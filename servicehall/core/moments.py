"""How the hall writes the moment a period ends, in one form everywhere.

A period of days (a publicity period, a reply's time limit, a review's due date) ends at 00:00
Beijing time after its last day. People read that as "the last day, 24:00" (公示至12月10日24时),
never as the next day's 00:00, which looks like one day more. A moment that is not midnight is
written as it is."""

import datetime
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")  # whatever TIME_ZONE or the active time zone says


def last_day(moment: datetime.datetime) -> datetime.date:
    """The last day a period ending at `moment` still covers (Beijing time)."""
    local = moment.astimezone(BEIJING)
    if local.time() == datetime.time(0, 0):
        return local.date() - datetime.timedelta(days=1)
    return local.date()


def end_text(moment: datetime.datetime) -> str:
    """'2026-12-10 24:00' for a period ending at 00:00 on the 11th; '2026-12-10 17:30' otherwise."""
    local = moment.astimezone(BEIJING)
    if local.time() == datetime.time(0, 0):
        return f"{last_day(moment):%Y-%m-%d} 24:00"
    return f"{local:%Y-%m-%d %H:%M}"
