"""The files exchanged with the banks (BANK_FILE_FORMAT.md): writing the payment file and its
spreadsheet copy, reading a return file (回盘). Nothing here touches the database; services.py
does. Files are streamed in both directions: 100,000 lines never become 100,000 objects."""

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook

from servicehall.core.errors import DomainError
from servicehall.core.spreadsheets import Amount, safe_text, sheet_row
from servicehall.core.tables import CSV, HEAD_BYTES, TableFormat, cell_text, table_format, table_rows

from .models import yuan

# Bank host systems in China read GBK; GB18030 is its superset (every GBK byte sequence is the
# same in GB18030) and also encodes the rare characters of some names (e.g. 䶮) that GBK cannot.
ENCODING = "gb18030"
LINE_END = "\r\n"
HEADER = ["序号", "申报编号", "户名", "账号", "金额", "银行代码"]
RETURN_HEADER = ["序号", "申报编号", "账号", "金额", "处理结果", "失败原因"]
TRAILER = "合计"
RESULT_PAID = "成功"
RESULT_FAILED = "失败"
MAX_RETURN_BYTES = 50 * 1024 * 1024
MAX_RETURN_LINES = 200_000
REASON_MAX = 200
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_AMOUNT = re.compile(r"^(\d{1,12})(?:\.(\d{1,2}))?$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ZIP_MAGIC = b"PK\x03\x04"


def parse_amount(text: str) -> int | None:
    """ "1500.00" (or "1500", "1500.5") -> 150000 fen, by integer arithmetic; None if it is not
    an amount in yuan with at most two decimals."""
    found = _AMOUNT.match(text or "")
    if not found:
        return None
    return int(found.group(1)) * 100 + int((found.group(2) or "0").ljust(2, "0"))


# --- The payment file -------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentLine:
    record_number: str
    account_name: str
    account: str
    amount_fen: int
    bank_code: str


def write_payment_file(lines: Iterable[PaymentLine]) -> tuple[bytes, int, int]:
    """The payment file's bytes, its line count and its total in fen. The same lines in the
    same order give the same bytes: nothing in the file depends on when it is written."""
    out = io.BytesIO()
    text = io.StringIO()
    writer = csv.writer(text, lineterminator=LINE_END)
    count = total = 0

    def flush():
        out.write(text.getvalue().encode(ENCODING))
        text.seek(0)
        text.truncate()

    writer.writerow(HEADER)
    for count, line in enumerate(lines, start=1):
        total += line.amount_fen
        writer.writerow(
            [
                count,
                line.record_number,
                # Exactly as the card holds it: the bank compares 户名 with the account's name.
                # Names are checked when cards are imported; one that could still run as a
                # formula is defused here too, and the bank then refuses that line by name.
                safe_text(line.account_name),
                line.account,
                yuan(line.amount_fen),
                line.bank_code,
            ]
        )
        if count % 2000 == 0:
            flush()
    writer.writerow([TRAILER, count, yuan(total)])
    flush()
    return out.getvalue(), count, total


@dataclass(frozen=True)
class SheetLine:
    record_number: str
    account_name: str
    masked_account: str
    amount_fen: int
    bank_code: str
    bank_name: str
    status: str


def write_payment_workbook(lines: Iterable[SheetLine], *, title: str, heading: str) -> tuple[bytes, int, int]:
    """The people's copy of a payment file: the same lines, accounts masked, as .xlsx. Unlike
    the bank's file, amounts are numbers in yuan a clerk can add up (core.spreadsheets)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for letter, width in zip("ABCDEFGH", (7, 19, 12, 24, 14, 10, 22, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.append(sheet_row(sheet, [heading]))
    header = [*HEADER[:3], _("账号（已脱敏）"), _("金额（元）"), *HEADER[5:], _("开户银行"), _("状态")]
    sheet.append(sheet_row(sheet, header))
    count = total = 0
    for count, line in enumerate(lines, start=1):
        total += line.amount_fen
        sheet.append(
            sheet_row(
                sheet,
                (
                    count,
                    line.record_number,
                    line.account_name,
                    line.masked_account,
                    Amount(line.amount_fen),
                    line.bank_code,
                    line.bank_name,
                    line.status,
                ),
            )
        )
    sheet.append(sheet_row(sheet, [TRAILER, count, None, None, Amount(total)]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count, total


# --- The return file --------------------------------------------------------------------------


@dataclass(frozen=True)
class ReturnLine:
    line: int  # the line in the file, counting the header as 1
    sequence: str
    record_number: str
    account: str
    amount_fen: int
    result: str
    reason: str


@dataclass(frozen=True)
class ReturnFile:
    """A return file that passed the whole-file checks: header, well-formed lines and a
    trailer whose count and total match them. `lines()` reads it again, line by line."""

    data: bytes
    encoding: str
    line_count: int
    total_fen: int

    def lines(self) -> Iterator[ReturnLine]:
        for line, cells in _rows(self.data, self.encoding):
            if cells[0] == TRAILER:
                return
            yield _detail(line, cells)


def _file_error(message) -> DomainError:
    return DomainError(message, code="return_file", fields=("file",))


def _rows(data: bytes, encoding: str) -> Iterator[tuple[int, list[str]]]:
    """Non-blank rows after the header as (line number, cells), read by the one table reader
    (core.tables), trailing empty cells dropped."""
    header_seen = False
    for line, cells in table_rows(io.BytesIO(data), TableFormat(CSV, encoding)):
        cells = [cell_text(c) for c in cells]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        if not header_seen:
            header_seen = True
            if cells != RETURN_HEADER:
                raise _file_error(
                    _(
                        "无法识别回盘文件：第一行应为“%(header)s”，文件应为GB18030（GBK）或UTF-8编码的CSV。"
                        "整份文件未导入。"
                    )
                    % {"header": ",".join(RETURN_HEADER)}
                )
            continue
        yield line, cells


def _detail(line: int, cells: list[str]) -> ReturnLine:
    if len(cells) not in (5, 6):
        raise _file_error(
            _(
                "第%(line)s行应有6列（序号、申报编号、账号、金额、处理结果、失败原因），实际为%(count)s列，整份文件未导入。"
            )
            % {"line": line, "count": len(cells)}
        )
    sequence, record_number, account, amount, result = cells[:5]
    reason = cells[5] if len(cells) == 6 else ""
    amount_fen = parse_amount(amount)
    if not sequence.isdigit() or amount_fen is None:
        raise _file_error(
            _("第%(line)s行的序号或金额格式不正确（金额应为元，最多两位小数，如1500.00），整份文件未导入。")
            % {"line": line}
        )
    return ReturnLine(
        line=line,
        sequence=sequence,
        record_number=record_number.lstrip("'").replace(" ", ""),
        account=account.lstrip("'").replace(" ", "").replace("-", ""),
        amount_fen=amount_fen,
        result=result,
        reason=_CONTROL.sub("", reason)[:REASON_MAX],
    )


def read_return_file(data: bytes) -> ReturnFile:
    """Check the whole file before any line is used: a file cut short (no trailer, or a
    trailer whose count or total differs from the lines) is refused whole."""
    if not data:
        raise _file_error(_("文件是空的，请选择银行返回的回盘文件。"))
    if len(data) > MAX_RETURN_BYTES:
        raise _file_error(_("文件超过50 MB，不是本系统导出的发放文件对应的回盘文件。"))
    if data.startswith(_ZIP_MAGIC) or b"\x00" in data[:HEAD_BYTES]:
        raise _file_error(_("无法识别回盘文件：文件不是文本格式的CSV。整份文件未导入。"))
    try:
        encoding = table_format(data[:HEAD_BYTES], filename="return.csv").encoding
    except DomainError as exc:
        raise _file_error(_("无法识别回盘文件：文件不是文本格式的CSV。整份文件未导入。")) from exc
    count = total = 0
    trailer = None
    try:
        for line, cells in _rows(data, encoding):
            if trailer is not None:
                raise _file_error(
                    _("合计行之后还有内容（第%(line)s行），文件格式不正确，整份文件未导入。") % {"line": line}
                )
            if cells[0] == TRAILER:
                trailer = (line, cells)
                continue
            detail = _detail(line, cells)
            count += 1
            total += detail.amount_fen
            if count > MAX_RETURN_LINES:
                raise _file_error(_("明细超过%(max)s行，整份文件未导入。") % {"max": MAX_RETURN_LINES})
    except DomainError as exc:
        if exc.code != "import_file":
            raise
        # The table reader's words (which line, what to do), and that nothing was imported.
        raise _file_error(str(exc.message) + _("，整份文件未导入。")) from exc
    if trailer is None:
        raise _file_error(
            _("文件没有合计行，可能传输不完整或被截断，整份文件未导入。请向银行重新获取回盘文件。")
        )
    line, cells = trailer
    trailer_count = cells[1] if len(cells) > 1 else ""
    trailer_total = parse_amount(cells[2]) if len(cells) > 2 else None
    if not trailer_count.isdigit() or trailer_total is None or len(cells) > 3:
        raise _file_error(_("合计行（第%(line)s行）应为“合计,笔数,金额”，整份文件未导入。") % {"line": line})
    if int(trailer_count) != count or trailer_total != total:
        raise _file_error(
            _(
                "合计行为%(t_count)s笔%(t_total)s元，而明细为%(count)s笔%(total)s元，文件可能不完整，"
                "整份文件未导入。请向银行重新获取回盘文件。"
            )
            % {"t_count": trailer_count, "t_total": yuan(trailer_total), "count": count, "total": yuan(total)}
        )
    if count == 0:
        raise _file_error(_("回盘文件中没有明细行。"))
    return ReturnFile(data=data, encoding=encoding.replace("-sig", ""), line_count=count, total_fen=total)


def write_return_file(lines: Iterable[tuple], *, encoding: str = ENCODING, bom: bool = False) -> bytes:
    """A return file in the documented layout, from (sequence, record number, account,
    amount_fen, result, reason) tuples: what a bank sends back. For tests, the benchmark and
    a bank's integration tests."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator=LINE_END)
    writer.writerow(RETURN_HEADER)
    count = total = 0
    for sequence, record_number, account, amount_fen, result, reason in lines:
        writer.writerow([sequence, record_number, account, yuan(amount_fen), result, reason])
        count += 1
        total += amount_fen
    writer.writerow([TRAILER, count, yuan(total)])
    data = text.getvalue().encode(encoding)
    return (codecs.BOM_UTF8 + data) if bom else data
