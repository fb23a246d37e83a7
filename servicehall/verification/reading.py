"""Reading a registry file without holding it: the upload is kept encrypted in 1 MiB chunks until
its import ends, and read back as a stream of rows (CSV in UTF-8 or GB18030, or the first sheet
of an .xlsx). Cells are checked with the card import's helpers (cards.importing), so an ID number
or a name is refused for the same reasons, in the same words, wherever it is imported."""

import codecs
import csv
import io
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.accounts.identity import check_name
from servicehall.cards.importing import check_id_number, plain_text
from servicehall.core.crypto import decrypt_bytes, encrypt_bytes
from servicehall.core.errors import DomainError

CHUNK_BYTES = 1 << 20
MAX_BYTES = 300 * 1024 * 1024
MAX_ROWS = 5_000_000
MAX_COLUMNS = 60
EARLIEST_DATE = date(1950, 1, 1)
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


def file_error(message) -> DomainError:
    return DomainError(message, code="import_file", fields=("file",))


# --- Keeping the upload -----------------------------------------------------------------------


@dataclass(frozen=True)
class StoredUpload:
    path: str
    chunks: int
    size: int
    sha256: str
    kind: str  # "csv" or "xlsx"
    encoding: str  # CSV only


def _kind_and_encoding(head: bytes, filename: str) -> tuple[str, str]:
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if head.startswith(_OLE_MAGIC) or suffix == "xls":
        raise file_error(_("不支持旧版Excel（.xls）文件，请在Excel中另存为.xlsx或CSV后再上传"))
    if head.startswith(_ZIP_MAGIC):
        return "xlsx", ""
    if suffix == "xlsx":
        raise file_error(_("该文件不是有效的.xlsx文件，请确认文件未损坏"))
    if b"\x00" in head:
        raise file_error(_("无法识别文件内容：请上传CSV（UTF-8或GB18030编码）或.xlsx表格文件"))
    try:
        # The last few bytes of the sample may cut a character in two.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "csv", "utf-8-sig"
    except UnicodeDecodeError:
        return "csv", "gb18030"


def store_encrypted(uploaded_file, *, filename: str) -> StoredUpload:
    """Encrypt the upload chunk by chunk into the storage. Each chunk starts with its number
    inside the ciphertext, so chunks cannot be reordered or dropped unnoticed."""
    import hashlib

    size = getattr(uploaded_file, "size", 0) or 0
    if size > MAX_BYTES:
        raise file_error(_("文件超过300 MB，请拆分后分批导入"))
    if size == 0:
        raise file_error(_("文件是空的，请选择名单文件"))
    uploaded_file.seek(0)
    head = uploaded_file.read(64 * 1024)
    kind, encoding = _kind_and_encoding(head, filename)
    uploaded_file.seek(0)
    digest, chunks, total = hashlib.sha256(), 0, 0
    with tempfile.SpooledTemporaryFile(max_size=8 * CHUNK_BYTES) as spool:
        while block := uploaded_file.read(CHUNK_BYTES):
            digest.update(block)
            total += len(block)
            sealed = encrypt_bytes(chunks.to_bytes(8, "big") + block)
            spool.write(len(sealed).to_bytes(4, "big") + sealed)
            chunks += 1
        spool.seek(0)
        stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
        path = default_storage.save(f"registry-imports/{stamp}.bin", File(spool))
    return StoredUpload(path, chunks, total, digest.hexdigest(), kind, encoding)


def remove_stored(path: str) -> None:
    if path and default_storage.exists(path):
        default_storage.delete(path)


class DecryptingReader(io.RawIOBase):
    """The stored upload as a plain byte stream, decrypted one chunk at a time; `chunks_read`
    says how far it has got (the import's progress)."""

    def __init__(self, path: str):
        self._file = default_storage.open(path, "rb")
        self._buffer = b""
        self.chunks_read = 0

    def readable(self) -> bool:
        return True

    def _next_chunk(self) -> bytes:
        header = self._file.read(4)
        if not header:
            return b""
        plain = decrypt_bytes(self._file.read(int.from_bytes(header, "big")))
        if int.from_bytes(plain[:8], "big") != self.chunks_read:
            raise file_error(_("暂存的导入文件已损坏，请重新上传"))
        self.chunks_read += 1
        return plain[8:]

    def readinto(self, target) -> int:
        if not self._buffer:
            self._buffer = self._next_chunk()
            if not self._buffer:
                return 0
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size

    def close(self) -> None:
        self._file.close()
        super().close()


# --- Rows -------------------------------------------------------------------------------------


def csv_lines(reader: DecryptingReader, encoding: str):
    """(line number where the record starts, cells) for each CSV record."""
    text = io.TextIOWrapper(io.BufferedReader(reader, CHUNK_BYTES), encoding=encoding, newline="")
    first = text.readline()
    delimiter = "\t" if "\t" in first and "," not in first else ","
    rows = csv.reader(_prepend(first, text), delimiter=delimiter)
    line = 1
    try:
        for cells in rows:
            yield line, cells[:MAX_COLUMNS]
            line = rows.line_num + 1
    except csv.Error as exc:
        raise file_error(
            _("第%(line)s行格式错误，无法按CSV读取，请检查引号是否成对") % {"line": line}
        ) from exc
    except UnicodeDecodeError as exc:
        raise file_error(
            _("第%(line)s行附近有无法识别的文字，请将文件另存为UTF-8编码的CSV后重新上传") % {"line": line}
        ) from exc


def _prepend(first: str, rest):
    yield first
    yield from rest


def xlsx_lines(reader: DecryptingReader):
    """(row number, cells) of the first worksheet. openpyxl needs to seek, so the (compressed)
    workbook is held in memory; its rows are still read one at a time."""
    import openpyxl

    data = reader.read()
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # a damaged or hostile zip: zipfile, XML and openpyxl errors
        raise file_error(_("无法读取该.xlsx文件，请确认文件未损坏，或另存为CSV后上传")) from exc
    try:
        if not workbook.worksheets:
            raise file_error(_("该.xlsx文件中没有工作表"))
        sheet = workbook.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1):
            yield number, list(cells)
    finally:
        workbook.close()


def _is_blank(cells) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def header_name(cell) -> str:
    return unicodedata.normalize("NFKC", str(cell or "")).strip().lstrip("\ufeff").strip()


def mapped_rows(lines, mapping: dict[str, str], required: tuple[str, ...]):
    """Yield ("missing", [fields whose column is not in the file but optional]) once, then
    (line, {field: cell}) for each non-blank data row. `mapping` is field -> header."""
    positions = None
    count = 0
    for line, cells in lines:
        if _is_blank(cells):
            continue
        if positions is None:
            header = [header_name(cell) for cell in cells]
            positions, absent = _positions(header, mapping, required)
            yield "absent", absent
            continue
        count += 1
        if count > MAX_ROWS:
            raise file_error(_("数据超过%(max)s行的上限，请拆分后分批导入") % {"max": f"{MAX_ROWS:,}"})
        yield (
            line,
            {name: (cells[index] if index < len(cells) else None) for name, index in positions.items()},
        )
    if positions is None:
        raise file_error(_("文件是空的，请选择名单文件"))


def _positions(header: list[str], mapping: dict[str, str], required) -> tuple[dict[str, int], list[str]]:
    missing = [mapping[name] for name in required if mapping.get(name) not in header]
    if missing:
        raise file_error(
            _("表头中找不到以下列：%(missing)s。文件的表头为：%(header)s。请核对列对应后重新导入")
            % {"missing": "、".join(missing), "header": ",".join(h for h in header if h)[:200]}
        )
    positions, absent = {}, []
    for name, title in mapping.items():
        if not title:
            continue
        if header.count(title) > 1:
            raise file_error(_("表头中“%(column)s”列出现了不止一次") % {"column": title})
        if title in header:
            positions[name] = header.index(title)
        else:
            absent.append(name)
    return positions, absent


# --- Cells ------------------------------------------------------------------------------------


def _error(field_name: str, message) -> DomainError:
    return DomainError(message, code="invalid", fields=(field_name,))


def check_person_name(value) -> str:
    try:
        return check_name(plain_text(value))
    except DomainError as exc:
        raise _error("name", exc.message) from exc


def check_date(field_name: str, value, *, label: str, required: bool) -> date | None:
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise _error(field_name, _("请填写%(label)s") % {"label": label})
        return None
    else:
        day = _date_text(field_name, plain_text(value), label)
    if day < EARLIEST_DATE or day.year > 2099:
        raise _error(field_name, _("%(label)s不在合理范围内，请核对") % {"label": label})
    return day


def _date_text(field_name: str, text: str, label: str) -> date:
    digits = text.replace("/", "-").replace(".", "-").split(" ")[0].split("T")[0]
    parts = digits.split("-")
    if len(parts) == 1 and len(digits) == 8 and digits.isdigit():
        parts = [digits[:4], digits[4:6], digits[6:]]
    try:
        if len(parts) != 3 or not all(part.isdigit() for part in parts):
            raise ValueError
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError as exc:
        raise _error(field_name, _("%(label)s应为YYYY-MM-DD格式，如2026-09-01") % {"label": label}) from exc


def check_grant_year(value) -> int:
    text = plain_text(value).removesuffix("年")
    this_year = timezone.localdate().year
    if not text.isdigit() or not 2000 <= int(text) <= this_year + 1:
        raise _error("grant_year", _("发放年度应为4位年份，如2025"))
    return int(text)


def check_id(value) -> str:
    """The card import's check: 18 characters, checksum, birth date, region code."""
    return check_id_number(value)
