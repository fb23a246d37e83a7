"""Reading a registry file without holding it: the upload is kept encrypted in 1 MiB chunks until
its import ends, and read back as a stream of rows (core.tables: CSV in UTF-8 or GB18030, or the first
sheet of an .xlsx). Cells are checked with the card import's helpers (cards.importing), so an ID number
or a name is refused for the same reasons, in the same words, wherever it is imported."""

import io
import logging
import re
import tempfile
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
from servicehall.core.tables import (
    HEAD_BYTES,
    TableFormat,
    cell_text,
    is_blank,
    table_error,
    table_format,
    table_rows,
)

CHUNK_BYTES = 1 << 20
MAX_BYTES = 300 * 1024 * 1024
MAX_ROWS = 5_000_000
EARLIEST_DATE = date(1950, 1, 1)
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
logger = logging.getLogger(__name__)




# --- Keeping the upload -----------------------------------------------------------------------


@dataclass(frozen=True)
class StoredUpload:
    path: str
    chunks: int
    size: int
    sha256: str
    table: TableFormat


def store_encrypted(uploaded_file, *, filename: str) -> StoredUpload:
    """Encrypt the upload chunk by chunk into the storage. Each chunk starts with its number
    inside the ciphertext, so chunks cannot be reordered or dropped unnoticed."""
    import hashlib

    size = getattr(uploaded_file, "size", 0) or 0
    if size > MAX_BYTES:
        raise table_error(_("文件超过300 MB，请拆分后分批导入"))
    if size == 0:
        raise table_error(_("文件是空的，请选择名单文件"))
    uploaded_file.seek(0)
    table = table_format(uploaded_file.read(HEAD_BYTES), filename=filename)
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
    return StoredUpload(path, chunks, total, digest.hexdigest(), table)


def remove_stored(path: str) -> None:
    """Called once the import's outcome is saved. A file that cannot be deleted now (the shared
    bucket unreachable: any error of its client) is logged, not raised, so the outcome and its
    audit entry still stand; the object is left to the bucket's lifecycle rule on this prefix."""
    if not path:
        return
    try:
        default_storage.delete(path)  # a name already gone is no error, on disk or in a bucket
    except Exception:
        logger.warning("registry import: the stored upload could not be deleted", exc_info=True)


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
            raise table_error(_("暂存的导入文件已损坏，请重新上传"))
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


def stored_rows(reader: DecryptingReader, table: TableFormat):
    """(line number, cells) of the stored upload, read by the one table reader (core.tables)."""
    return table_rows(reader, table)


def mapped_rows(lines, mapping: dict[str, str], required: tuple[str, ...]):
    """Yield ("missing", [fields whose column is not in the file but optional]) once, then
    (line, {field: cell}) for each non-blank data row. `mapping` is field -> header."""
    positions = None
    count = 0
    for line, cells in lines:
        if is_blank(cells):
            continue
        if positions is None:
            header = [cell_text(cell) for cell in cells]
            positions, absent = _positions(header, mapping, required)
            yield "absent", absent
            continue
        count += 1
        if count > MAX_ROWS:
            raise table_error(_("数据超过%(max)s行的上限，请拆分后分批导入") % {"max": f"{MAX_ROWS:,}"})
        yield (
            line,
            {name: (cells[index] if index < len(cells) else None) for name, index in positions.items()},
        )
    if positions is None:
        raise table_error(_("文件是空的，请选择名单文件"))


def _positions(header: list[str], mapping: dict[str, str], required) -> tuple[dict[str, int], list[str]]:
    missing = [mapping[name] for name in required if mapping.get(name) not in header]
    if missing:
        raise table_error(
            _("表头中找不到以下列：%(missing)s。文件的表头为：%(header)s。请核对列对应后重新导入")
            % {"missing": "、".join(missing), "header": ",".join(h for h in header if h)[:200]}
        )
    positions, absent = {}, []
    for name, title in mapping.items():
        if not title:
            continue
        if header.count(title) > 1:
            raise table_error(_("表头中“%(column)s”列出现了不止一次") % {"column": title})
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
        day = _date_text(field_name, value, label)
    if day < EARLIEST_DATE or day.year > 2099:
        raise _error(field_name, _("%(label)s不在合理范围内，请核对") % {"label": label})
    return day


def _date_text(field_name: str, value, label: str) -> date:
    """2026-09-01, 2026/9/1, 2026.09.01 or 20260901, with a time after it or not."""
    try:
        if isinstance(value, str) and _ISO_DAY.fullmatch(value):  # the common case, plain already
            return date.fromisoformat(value)
        digits = plain_text(value).replace("/", "-").replace(".", "-").split(" ")[0].split("T")[0]
        parts = digits.split("-")
        if len(parts) == 1 and len(digits) == 8 and digits.isdigit():
            parts = [digits[:4], digits[4:6], digits[6:]]
        if len(parts) != 3 or not all(part.isdigit() for part in parts):
            raise ValueError
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError as exc:
        raise _error(field_name, _("%(label)s应为YYYY-MM-DD格式，如2026-09-01") % {"label": label}) from exc


def check_grant_year(value, *, today: date | None = None) -> int:
    text = plain_text(value).removesuffix("年")
    this_year = (today or timezone.localdate()).year
    if not text.isdigit() or not 2000 <= int(text) <= this_year + 1:
        raise _error("grant_year", _("发放年度应为4位年份，如2025"))
    return int(text)


def check_id(value, *, today: date | None = None) -> str:
    """The card import's check: 18 characters, checksum, birth date, region code."""
    return check_id_number(value, today=today)
