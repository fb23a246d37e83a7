"""The one table reader (core.tables): every import reads its file here, so a file is read, or
refused, the same way and in the same words wherever it is imported."""

import ast
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from servicehall.core.errors import DomainError
from servicehall.core.tables import (
    CSV,
    XLSX,
    TableFormat,
    cell_text,
    file_rows,
    is_blank,
    table_format,
    table_rows,
)

HALL = Path(__file__).resolve().parents[2]
HEADER = "证件号码,姓名,备注"


def _rows(data: bytes, filename="名单.csv"):
    return [(line, cells) for line, cells in file_rows(data, filename=filename) if not is_blank(cells)]


def _message(data: bytes, filename="名单.csv") -> str:
    with pytest.raises(DomainError) as error:
        _rows(data, filename)
    assert error.value.code == "import_file" and error.value.fields == ("file",)
    return error.value.message


def _xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class _OneWay(io.RawIOBase):
    """A stream that cannot seek, like the decrypting reader of a stored registry upload."""

    def __init__(self, data: bytes):
        self._data = io.BytesIO(data)

    def readable(self):
        return True

    def readinto(self, target):
        chunk = self._data.read(len(target))
        target[: len(chunk)] = chunk
        return len(chunk)


@pytest.mark.parametrize(
    "encoding, bom",
    [("utf-8", False), ("utf-8", True), ("gbk", False), ("gb18030", False)],
)
def test_csv_in_the_encodings_excel_and_banks_write(encoding, bom):
    text = f"{HEADER}\r\n110101199003074514,张晓明,第二行\r\n"
    data = text.encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    header, row = _rows(data)
    assert [cell_text(cell) for cell in header[1]] == ["证件号码", "姓名", "备注"]
    assert row == (2, ["110101199003074514", "张晓明", "第二行"])


def test_gb18030_keeps_a_rare_character_gbk_cannot_write():
    data = f"{HEADER}\r\n110101199003074514,龑䶮,\r\n".encode("gb18030")
    assert _rows(data)[1][1][1] == "龑䶮"


def test_tab_separated_and_a_quoted_line_break_keep_their_line_numbers():
    data = '证件号码\t姓名\r\n1\t"张\r\n晓明"\r\n2\t李华\r\n'.encode()
    assert _rows(data) == [(1, ["证件号码", "姓名"]), (2, ["1", "张\r\n晓明"]), (4, ["2", "李华"])]


def test_xlsx_keeps_a_formula_as_its_text_never_its_result():
    rows = _rows(_xlsx([["证件号码", "姓名"], ["=1+2", '=HYPERLINK("http://x","y")']]), "名单.xlsx")
    assert rows[1] == (2, ["=1+2", '=HYPERLINK("http://x","y")'])


def test_xlsx_is_read_from_a_stream_that_cannot_seek():
    data = _xlsx([["证件号码", "姓名"], ["110101199003074514", "张晓明"]])
    rows = list(table_rows(_OneWay(data), TableFormat(XLSX)))
    assert rows[1] == (2, ["110101199003074514", "张晓明"])


def test_the_format_is_told_from_the_head_of_the_file():
    assert table_format(_xlsx([["a"]])[:1024], filename="x.csv") == TableFormat(XLSX)
    assert table_format("证件号码".encode(), filename="x") == TableFormat(CSV, "utf-8-sig")
    assert table_format("证件号码".encode("gbk"), filename="x") == TableFormat(CSV, "gb18030")
    # A head cut in the middle of a UTF-8 character is still UTF-8.
    assert table_format("证件号码".encode()[:-1], filename="x") == TableFormat(CSV, "utf-8-sig")


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (3 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data, filename, words",
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "名单.xls", "不支持旧版Excel"),
        (HEADER.encode(), "名单.xls", "不支持旧版Excel"),
        (HEADER.encode(), "名单.xlsx", "不是有效的.xlsx文件"),
        (HEADER.encode("utf-16"), "名单.csv", "无法识别文件内容"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "名单.csv", "无法识别文件内容"),
        ("证件\x01号码".encode(), "名单.csv", "无法识别文件内容"),
        (b"PK\x03\x04" + b"not a zip" * 20, "名单.xlsx", "无法读取该.xlsx文件"),
    ],
)
def test_what_is_not_a_table_is_refused_with_what_to_do(data, filename, words):
    assert words in _message(data, filename)


def test_a_zip_that_unpacks_past_the_limit_is_refused_before_it_is_unpacked():
    with pytest.raises(DomainError) as error:
        list(file_rows(_bomb(), filename="名单.xlsx", max_unpacked=1024 * 1024))
    assert "解压后过大" in error.value.message


def test_a_late_undecodable_line_names_its_line():
    """Past the head that chose UTF-8, a line in another encoding is named by its number."""
    lines = "".join(f"{n},张晓明,\r\n" for n in range(2, 5002))
    data = f"{HEADER}\r\n{lines}".encode() + "5002,李华,\r\n".encode("gbk")
    assert len(data) > 64 * 1024
    assert "第5002行有无法识别的文字" in _message(data)


def test_no_other_module_reads_a_csv_or_a_workbook():
    """Reading an uploaded table is written once: csv.reader and openpyxl.load_workbook appear
    in core/tables.py only (reference/datafiles.py reads the hall's own bundled data)."""
    readers = {("csv", "reader"), ("csv", "DictReader"), ("openpyxl", "load_workbook")}
    found = []
    for path in HALL.rglob("*.py"):
        relative = path.relative_to(HALL).as_posix()
        if "/tests/" in f"/{relative}" or relative in ("core/tables.py", "reference/datafiles.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and (node.value.id, node.attr) in readers
            ):
                found.append(f"{relative}:{node.lineno} {node.value.id}.{node.attr}")
    assert not found, found
