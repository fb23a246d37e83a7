"""The one table reader: every file the hall imports (the card export, the outlets, the category
registries, the banks' return files) is read into rows here, and refused here for the same
reasons in the same words.

- CSV in UTF-8 with or without a BOM, or GBK/GB18030 (what Excel and bank systems write in
  China), comma- or tab-separated. The encoding is chosen once from the file's head: strict
  UTF-8 first (GB18030 decodes almost any bytes, so trying it first would read a UTF-8 file as
  nonsense).
- .xlsx: the first worksheet, row by row through openpyxl's read-only mode, with formulas kept
  as their text and never evaluated; a zip that claims to unpack to more than the limit is
  refused before anything is unpacked. An old .xls is refused with what to do instead.
- Binary content, UTF-16 and control characters are refused as "not a table".

Rows come out as (line number, cells); what the cells mean is each importer's business."""

import codecs
import csv
import io
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

from servicehall.core.errors import DomainError

HEAD_BYTES = 64 * 1024
MAX_COLUMNS = 60
MAX_UNPACKED_BYTES = 2 * 1024 * 1024 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

CSV, XLSX = "csv", "xlsx"


def table_error(message) -> DomainError:
    return DomainError(message, code="import_file", fields=("file",))


@dataclass(frozen=True)
class TableFormat:
    kind: str  # CSV or XLSX
    encoding: str = ""  # CSV only: "utf-8-sig" or "gb18030"


def table_format(head: bytes, *, filename: str) -> TableFormat:
    """What the file is, from its first bytes (HEAD_BYTES are enough) and its name."""
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if head.startswith(_OLE_MAGIC) or suffix == "xls":
        raise table_error(_("不支持旧版Excel（.xls）文件，请在Excel中另存为.xlsx或CSV后再上传"))
    if head.startswith(_ZIP_MAGIC):
        return TableFormat(XLSX)
    if suffix == "xlsx":
        raise table_error(_("该文件不是有效的.xlsx文件，请确认文件未损坏"))
    encoding = _encoding_of(head)
    # The last bytes of the head may cut a character in two: decode without finishing it.
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(head, final=False)
    if b"\x00" in head or _CONTROL.search(text):
        # Binary content, or a UTF-16 text file: neither is a table we read.
        raise table_error(_("无法识别文件内容：请上传CSV（UTF-8或GB18030编码）或.xlsx表格文件"))
    return TableFormat(CSV, encoding)


def _encoding_of(head: bytes) -> str:
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8-sig"
    except UnicodeDecodeError:
        return "gb18030"


def table_rows(
    stream, table: TableFormat, *, max_unpacked: int = MAX_UNPACKED_BYTES
) -> Iterator[tuple[int, list]]:
    """(line number, cells) for every row, blank ones included, at most MAX_COLUMNS cells each.
    `stream` is a binary file object read from its current position."""
    if table.kind == XLSX:
        return _xlsx_rows(stream, max_unpacked)
    return _csv_rows(stream, table.encoding)


def file_rows(
    data: bytes, *, filename: str, max_unpacked: int = MAX_UNPACKED_BYTES
) -> Iterator[tuple[int, list]]:
    """The rows of a file held in memory."""
    table = table_format(data[:HEAD_BYTES], filename=filename)
    return table_rows(io.BytesIO(data), table, max_unpacked=max_unpacked)


def _csv_rows(stream, encoding: str):
    line = 1
    try:
        lines = _decoded_lines(stream, encoding)
        first = next(lines, "")
        delimiter = "\t" if "\t" in first and "," not in first else ","
        rows = csv.reader(_prepend(first, lines), delimiter=delimiter)
        for cells in rows:
            yield line, cells[:MAX_COLUMNS]
            line = rows.line_num + 1
    except csv.Error as exc:
        raise table_error(
            _("第%(line)s行格式错误，无法按CSV读取，请检查引号是否成对") % {"line": line}
        ) from exc


def _decoded_lines(stream, encoding: str):
    """The file's lines as text, decoded one physical line at a time so that a byte the encoding
    cannot read is reported on its own line. Splitting the bytes at "\n" is safe in UTF-8 and
    GB18030 alike: 0x0A is never part of a multi-byte character in either."""
    if not isinstance(stream, io.BufferedIOBase):
        stream = io.BufferedReader(stream, 1 << 20)
    decoder = codecs.getincrementaldecoder(encoding)()
    for number, raw in enumerate(stream, start=1):
        try:
            yield decoder.decode(raw, final=not raw.endswith(b"\n"))
        except UnicodeDecodeError as exc:
            raise table_error(
                _("第%(line)s行有无法识别的文字，请将文件另存为UTF-8编码的CSV后重新上传") % {"line": number}
            ) from exc


def _prepend(first: str, rest):
    yield first
    yield from rest


def _seekable(stream):
    """openpyxl and zipfile need to seek; a stream that cannot (a decrypting reader) is first
    copied to a temporary file, so the workbook is never held in memory whole."""
    if stream.seekable():
        return stream, False
    spool = tempfile.TemporaryFile()
    while block := stream.read(1 << 20):
        spool.write(block)
    spool.seek(0)
    return spool, True


def _check_unpacked_size(stream, max_unpacked: int) -> None:
    """Refuse a zip that claims to unpack to more than `max_unpacked` (a "zip bomb") before
    openpyxl unpacks any of it."""
    start = stream.tell()
    try:
        with zipfile.ZipFile(stream) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise table_error(_("无法读取该.xlsx文件，请确认文件未损坏，或另存为CSV后上传")) from exc
    if unpacked > max_unpacked:
        raise table_error(_("该.xlsx文件解压后过大，请拆分后分批导入，或另存为CSV后上传"))
    stream.seek(start)


def _xlsx_rows(stream, max_unpacked: int):
    import openpyxl

    stream, temporary = _seekable(stream)
    try:
        _check_unpacked_size(stream, max_unpacked)
        try:
            # read_only streams rows; data_only=False keeps a formula as its text, never a result.
            workbook = openpyxl.load_workbook(stream, read_only=True, data_only=False)
        except Exception as exc:  # a damaged or hostile zip: zipfile, XML and openpyxl errors
            raise table_error(_("无法读取该.xlsx文件，请确认文件未损坏，或另存为CSV后上传")) from exc
        try:
            if not workbook.worksheets:
                raise table_error(_("该.xlsx文件中没有工作表"))
            sheet = workbook.worksheets[0]
            try:
                rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
                for number, cells in enumerate(rows, start=1):
                    cells = list(cells)
                    while cells and cells[-1] is None:  # read-only mode pads to max_col
                        cells.pop()
                    yield number, cells
            except DomainError:
                raise
            except Exception as exc:
                raise table_error(_("无法读取该.xlsx文件，请确认文件未损坏，或另存为CSV后上传")) from exc
        finally:
            workbook.close()
    finally:
        if temporary:
            stream.close()


def is_blank(cells) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def cell_text(cell) -> str:
    """A cell as the importers compare it (a header, a result word): NFKC (full-width letters
    made ASCII), no BOM, no surrounding spaces."""
    return unicodedata.normalize("NFKC", str(cell or "")).strip().lstrip("\ufeff").strip()
