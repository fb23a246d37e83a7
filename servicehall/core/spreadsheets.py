"""How the hall writes a cell of any Excel file it makes (bank files' copies, batch reports,
review exports, statistics, the audit trail), in one place:

- text typed by people never runs: a name like "=cmd|' /C calc'!A0" stays text when a clerk
  opens the file (safe_text);
- money is a number in yuan with a thousands separator and two decimals, so a finance clerk
  can add a column up (Amount, from integer fen, exact);
- a date or a moment is a real Excel date in Beijing time ('yyyy-mm-dd', 'yyyy-mm-dd hh:mm');
- a share that is a figure is a number shown as a percentage (Share).

Exports build rows of plain values (str, int, date, datetime) and these markers, and hand
each value to safe_cell (or a whole row to sheet_row)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.functional import Promise
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# A spreadsheet runs a cell starting with one of these as a formula (=cmd|' /C calc'!A0).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

AMOUNT_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
MOMENT_FORMAT = "yyyy-mm-dd hh:mm"
TIMESTAMP_FORMAT = "yyyy-mm-dd hh:mm:ss"
SHARE_FORMAT = "0.0%"
NO_SHARE = "—"  # a share of nothing (0 of 0) is not a figure


@dataclass(frozen=True)
class Amount:
    """Money held as integer fen, written as yuan: Amount(150000) is the number 1500.00."""

    fen: int


@dataclass(frozen=True)
class Share:
    """part of whole, written as a number with a percent format (7 of 10 shows as 70.0%)."""

    part: int
    whole: int


@dataclass(frozen=True)
class Timestamp:
    """A moment to the second (the audit trail), where a plain datetime is written to the minute."""

    at: datetime.datetime


def safe_text(value):
    """A leading ' makes Excel and WPS show the value as text; control characters, which a
    worksheet cannot hold (openpyxl refuses the whole file), become spaces. Numbers and empty
    cells pass unchanged."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub(" ", value)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return value


def _formatted(sheet, value, number_format: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    return cell


def _excel_moment(value: datetime.datetime) -> datetime.datetime:
    """Excel has no time zones: a moment is written as Beijing (the hall's) wall-clock time."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None, microsecond=0)


def safe_cell(sheet, value):
    """A write-only cell for openpyxl, typed by what the value is. Text is made safe by
    safe_text and typed as a string (openpyxl itself stores any str starting with "=" as a
    formula); counts and empty cells pass unchanged."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, Amount):
        # Decimal, never a float: 0.10 + 0.20 is 0.30 in the file.
        return _formatted(sheet, Decimal(int(value.fen)).scaleb(-2), AMOUNT_FORMAT)
    if isinstance(value, Share):
        if not value.whole:
            return safe_cell(sheet, NO_SHARE)
        return _formatted(sheet, value.part / value.whole, SHARE_FORMAT)
    if isinstance(value, Timestamp):
        return _formatted(sheet, _excel_moment(value.at), TIMESTAMP_FORMAT)
    if isinstance(value, datetime.datetime):  # before date: a datetime is also a date
        return _formatted(sheet, _excel_moment(value), MOMENT_FORMAT)
    if isinstance(value, datetime.date):
        return _formatted(sheet, value, DATE_FORMAT)
    value = safe_text(value)
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def sheet_row(sheet, values) -> list:
    """A row for sheet.append, every value through safe_cell."""
    return [safe_cell(sheet, value) for value in values]
