"""The card system's export as the hall receives it: rows, and the CSV, .xlsx and upload they
are sent in. Tests of every app that need a card file build it here."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.people import resident_id

HEADER = ["证件号码", "姓名", "社会保障卡号", "卡代际", "开户银行", "银行账号", "金融功能状态", "卡状态",
          "发卡日期"]
OTHER_ID = resident_id("32010220050101991")


def row(id_number=None, name="王小红", card_number="D90000001", generation="第三代",
        bank="中国工商银行", account="6212260000000000011", financial="已开通", status="正常",
        issued_on="2024-09-01"):
    return [id_number or OTHER_ID, name, card_number, generation, bank, account, financial, status,
            issued_on]


def csv_bytes(rows, *, header=HEADER, encoding="utf-8", bom=False) -> bytes:
    lines = [",".join(header)] + [",".join(str(cell) for cell in r) for r in rows]
    data = ("\r\n".join(lines) + "\r\n").encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def upload(data: bytes, name="cards.csv", content_type="text/csv"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def xlsx_bytes(rows, *, header=HEADER) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
