"""Cells that no spreadsheet will run. Every Excel file the hall writes (bank files' copies,
batch reports, review exports, statistics, the audit trail) holds text typed by people, and a
name like "=cmd|' /C calc'!A0" must stay text when a clerk opens it."""

from openpyxl.cell import WriteOnlyCell

# A spreadsheet runs a cell starting with one of these as a formula (=cmd|' /C calc'!A0).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value):
    """A leading ' makes Excel and WPS show the value as text. Numbers and empty cells pass
    unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_cell(sheet, value):
    """A write-only cell for openpyxl, which itself stores any str starting with "=" as a
    formula: made safe by safe_text and typed as a string."""
    value = safe_text(value)
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value
