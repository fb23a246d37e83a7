"""The one cell writer of every Excel file the hall makes: money a number in yuan a clerk can
add up, dates real dates in Beijing time, shares numbers shown as percentages, and text that
never runs as a formula."""

import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook

from servicehall.core.spreadsheets import (
    AMOUNT_FORMAT,
    DATE_FORMAT,
    MOMENT_FORMAT,
    SHARE_FORMAT,
    TIMESTAMP_FORMAT,
    Amount,
    Share,
    Timestamp,
    sheet_row,
)


def _written(*rows):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("s")
    for values in rows:
        sheet.append(sheet_row(sheet, values))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return load_workbook(io.BytesIO(buffer.getvalue()))["s"]


def test_amounts_are_numbers_in_yuan_a_clerk_can_add_up():
    sheet = _written([Amount(150000)], [Amount(10)], [Amount(20)], [Amount(123456789)])
    cells = [row[0] for row in sheet.iter_rows()]
    assert all(c.data_type == "n" and c.number_format == AMOUNT_FORMAT for c in cells)
    values = [Decimal(str(c.value)) for c in cells]
    assert values == [Decimal("1500"), Decimal("0.1"), Decimal("0.2"), Decimal("1234567.89")]
    # Exact from fen: 0.10 + 0.20 is 0.30 (what SUM over the column gives).
    assert values[1] + values[2] == Decimal("0.30")
    assert sum(values) == Decimal("1236068.19")


def test_dates_and_moments_are_excel_dates_in_beijing_time():
    at = datetime.datetime(2026, 12, 10, 16, 5, 42, 123456, tzinfo=datetime.UTC)  # 00:05 in Beijing
    naive = datetime.datetime(2026, 5, 1, 8, 30)
    sheet = _written([datetime.date(2026, 12, 10), at, Timestamp(at), naive])
    day, moment, exact, plain = next(sheet.iter_rows())
    assert day.is_date and day.number_format == DATE_FORMAT
    assert day.value == datetime.datetime(2026, 12, 10)
    assert moment.is_date and moment.number_format == MOMENT_FORMAT
    assert moment.value == datetime.datetime(2026, 12, 11, 0, 5, 42)
    assert at.astimezone(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None, microsecond=0) == moment.value
    assert exact.is_date and exact.number_format == TIMESTAMP_FORMAT and exact.value == moment.value
    assert plain.is_date and plain.value == naive


def test_a_share_is_a_number_with_a_percent_format_and_nothing_of_nothing_is_a_dash():
    sheet = _written([Share(7, 10), Share(0, 0)])
    share, none = next(sheet.iter_rows())
    assert share.data_type == "n" and share.value == 0.7 and share.number_format == SHARE_FORMAT
    assert none.data_type == "s" and none.value == "—"


def test_text_stays_text_and_never_a_formula():
    texts = ["=cmd|' /C calc'!A0", "+1", "-1", "@SUM(A1)", gettext_lazy("合计"), "6212 **** 4567"]
    sheet = _written([*texts, 3, None])
    cells = next(sheet.iter_rows())
    assert [c.value for c in cells[:6]] == [*("'" + str(t) for t in texts[:4]), "合计", "6212 **** 4567"]
    assert all(c.data_type == "s" for c in cells[:6])
    assert cells[6].data_type == "n" and cells[6].value == 3
    assert len(cells) == 7 or cells[7].value is None
