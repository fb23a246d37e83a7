"""Writing cards: one card at a time, the import of the card system's export in its three
encodings and .xlsx, and what an import refuses."""

import os
from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from servicehall.audit.models import AuditEntry
from servicehall.cards import importing, services
from servicehall.cards.models import CardImportBatch, SocialSecurityCard
from servicehall.core.errors import DomainError
from servicehall.core.wording import read_rows
from servicehall.reference.models import Bank
from tests.people import resident_id

from .factories import HEADER, OTHER_ID, csv_bytes, row, upload, xlsx_bytes

pytestmark = pytest.mark.django_db

SECOND_ID = resident_id("32010620040404994")


def card_args(**overrides):
    args = {
        "id_number": OTHER_ID, "name": "王小红", "card_number": "D90000001", "generation": 3,
        "bank": Bank.objects.get(pk="102"), "account": "6212260000000000011",
        "financial_active": True, "status": "normal", "issued_on": date(2024, 9, 1),
    }
    args.update(overrides)
    return args


def do_import(operator, data, name="cards.csv"):
    return services.card_import(actor=operator, uploaded_file=upload(data, name))


def refused(operator, data, name="cards.csv") -> str:
    with pytest.raises(DomainError) as caught:
        do_import(operator, data, name)
    assert caught.value.fields == ("file",)
    assert not CardImportBatch.objects.exists()
    return str(caught.value.message)


# --- card_upsert ------------------------------------------------------------------------------

def test_upsert_creates_updates_and_leaves_an_unchanged_card_alone():
    created = services.card_upsert(**card_args())
    assert created.outcome == "created"
    card = SocialSecurityCard.objects.get()
    assert card.masked_card_number == "D*****001"
    assert card.masked_account == "6212 **** **** 0011"
    assert card.is_usable_for_payment

    before = card.updated_at
    again = services.card_upsert(**card_args())
    assert again.outcome == "unchanged"
    card.refresh_from_db()
    assert card.updated_at == before

    changed = services.card_upsert(**card_args(financial_active=False, bank="江苏银行"))
    assert changed.outcome == "updated"
    card.refresh_from_db()
    assert SocialSecurityCard.objects.count() == 1
    assert card.bank_id == "JSB" and not card.financial_active and not card.is_usable_for_payment


@pytest.mark.parametrize(("field", "value", "message"), [
    ("id_number", "320102200401019918", "校验位不正确"),
    ("id_number", "32010220040101991", "18位"),
    ("id_number", resident_id("32010220041301991"), "出生日期不存在"),
    ("id_number", resident_id("99999920040101991"), "地区代码不存在"),
    ("name", "=cmd|' /C calc'!A0", "姓名应为"),
    ("name", "", "请输入姓名"),
    ("card_number", "D9000", "9位"),
    ("generation", 4, "卡代际"),
    ("bank", "花旗银行", "未找到该开户银行"),
    ("account", "62122600000", "12-25位数字"),
    ("account", "6212 2600 0000 0000 011X", "12-25位数字"),
    ("financial_active", "开了", "已开通"),
    ("status", "冻结", "卡状态"),
    ("issued_on", "2024-13-01", "发卡日期"),
    ("issued_on", date(2999, 1, 1), "不能晚于今天"),
])
def test_upsert_refuses_bad_values_naming_the_field(field, value, message):
    with pytest.raises(DomainError) as caught:
        services.card_upsert(**card_args(**{field: value}))
    assert caught.value.fields == (field,)
    assert message in str(caught.value.message)
    assert not SocialSecurityCard.objects.exists()


def test_upsert_accepts_the_forms_an_export_uses():
    saved = services.card_upsert(**card_args(
        id_number=OTHER_ID.lower(), generation="第二代", bank="105", account="6212 2600-0000 0000 011",
        financial_active="未开通", status="挂失", issued_on="2019/6/20"))
    card = saved.card
    assert (card.id_number, card.generation, card.bank_id, card.account) == (
        OTHER_ID.upper(), 2, "105", "6212260000000000011")
    assert (card.financial_active, card.status, card.issued_on) == (
        False, "reported_lost", date(2019, 6, 20))


def test_numbers_are_encrypted_at_rest():
    services.card_upsert(**card_args())
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, card_number, account, id_number_index, card_number_index "
                       "FROM cards_socialsecuritycard")
        stored = " ".join(cursor.fetchone())
    for plain in (OTHER_ID, "D90000001", "6212260000000000011", "0000000011"):
        assert plain not in stored
    card = SocialSecurityCard.objects.get()
    assert card.account == "6212260000000000011" and card.card_number == "D90000001"


def test_the_id_index_is_the_one_accounts_use(person):
    services.card_upsert(**card_args(id_number=person.id_number, name=person.name))
    assert SocialSecurityCard.objects.get().id_number_index == person.id_number_index


# --- card_import: formats ---------------------------------------------------------------------

def _two_rows():
    return [row(), row(id_number=SECOND_ID, name="刘晓燕", card_number="D90000004", generation="2",
                   bank="103", account="6228480000000000044", financial="未开通", status="挂失",
                   issued_on="2023-03-12")]


def _assert_two_cards():
    first = SocialSecurityCard.objects.get(card_number_index=services.card_number_index("D90000001"))
    second = SocialSecurityCard.objects.get(card_number_index=services.card_number_index("D90000004"))
    assert (first.name, first.generation, first.bank_id, first.status) == ("王小红", 3, "102", "normal")
    assert (second.name, second.generation, second.bank_id) == ("刘晓燕", 2, "103")
    assert (second.financial_active, second.status, second.issued_on) == (
        False, "reported_lost", date(2023, 3, 12))
    assert second.account == "6228480000000000044"


@pytest.mark.parametrize(("encoding", "bom"), [("utf-8", True), ("utf-8", False), ("gb18030", False)])
def test_import_csv_in_each_encoding(operator, encoding, bom):
    batch = do_import(operator, csv_bytes(_two_rows(), encoding=encoding, bom=bom))
    assert (batch.row_count, batch.created_count, batch.rejected_count) == (2, 2, 0)
    _assert_two_cards()
    assert set(SocialSecurityCard.objects.values_list("import_batch", flat=True)) == {batch.pk}


def test_import_xlsx_with_typed_cells(operator):
    rows = _two_rows()
    rows[0][3] = 3  # a number
    rows[0][8] = datetime(2024, 9, 1)  # an Excel date cell
    rows[1][8] = 44997  # an Excel date serial without a date format: 2023-03-12
    batch = do_import(operator, xlsx_bytes(rows), "cards.xlsx")
    assert (batch.created_count, batch.rejected_count) == (2, 0), batch.rejected_rows
    _assert_two_cards()


def test_tab_separated_columns_in_any_order(operator):
    order = [8, 7, 6, 5, 4, 3, 2, 1, 0]
    header = [HEADER[i] for i in order] + ["备注"]
    rows = [[r[i] for i in order] + ["随便写点"] for r in _two_rows()]
    data = "\n".join("\t".join(map(str, line)) for line in [header, *rows]).encode()
    batch = do_import(operator, data)
    assert batch.created_count == 2
    _assert_two_cards()


def test_the_sample_file_imports_cleanly(operator):
    path = os.path.join(os.path.dirname(importing.__file__), "data", "sample_cards.csv")
    with open(path, "rb") as handle:
        batch = do_import(operator, handle.read(), "sample_cards.csv")
    assert (batch.row_count, batch.created_count, batch.rejected_count) == (6, 6, 0)
    assert set(SocialSecurityCard.objects.values_list("status", flat=True)) == {
        "normal", "reported_lost", "cancelled"}


# --- card_import: bad rows, repeated files ----------------------------------------------------

def test_bad_rows_are_reported_by_line_and_column_and_good_rows_saved(operator):
    rows = [
        row(),
        row(id_number="320102200401019918", card_number="D90000002"),  # checksum
        row(card_number="D90000003", bank="花旗银行", status="冻结"),  # two problems
        row(id_number=SECOND_ID, name="刘晓燕", card_number="D90000004"),
    ]
    batch = do_import(operator, csv_bytes(rows))
    assert (batch.row_count, batch.created_count, batch.rejected_count) == (4, 2, 2)
    problems = [(p["line"], p["column"]) for p in read_rows(batch.rejected_rows)]
    assert problems == [(3, "证件号码"), (4, "开户银行"), (4, "卡状态")]
    assert "校验位不正确" in read_rows(batch.rejected_rows)[0]["reason"]
    assert SocialSecurityCard.objects.count() == 2


def test_line_numbers_count_blank_lines_and_multi_line_cells(operator):
    data = csv_bytes([row()]) + b"\r\n" + csv_bytes(
        [row(card_number="D90000002", name='"王\n小红"')], header=[]).lstrip(b"\r\n")
    batch = do_import(operator, data)
    (problem,) = read_rows(batch.rejected_rows)
    assert problem["line"] == 4 and problem["column"] == "姓名"


def test_a_card_number_twice_in_a_file_is_imported_once(operator):
    batch = do_import(operator, csv_bytes([row(), row(name="王小虹")]))
    assert (batch.created_count, batch.rejected_count) == (1, 1)
    assert "与第2行的社会保障卡号重复" in read_rows(batch.rejected_rows)[0]["reason"]
    assert SocialSecurityCard.objects.get().name == "王小红"


def test_importing_the_same_file_again_changes_nothing(operator):
    data = csv_bytes([*_two_rows(), row(card_number="D90000009", account="12")])
    first = do_import(operator, data)
    stored = list(SocialSecurityCard.objects.values_list("id", "updated_at", "import_batch"))
    second = do_import(operator, data)
    assert (first.created_count, first.rejected_count) == (2, 1)
    assert (second.created_count, second.updated_count, second.unchanged_count,
            second.rejected_count) == (0, 0, 2, 1)
    assert second.sha256 == first.sha256
    assert list(SocialSecurityCard.objects.values_list("id", "updated_at", "import_batch")) == stored


def test_a_later_export_updates_only_what_changed_and_keeps_the_rest(operator):
    do_import(operator, csv_bytes(_two_rows()))
    later = do_import(operator, csv_bytes([row(status="挂失")]))
    assert (later.created_count, later.updated_count, later.unchanged_count) == (0, 1, 0)
    assert SocialSecurityCard.objects.count() == 2  # the card missing from the file is kept
    lost = SocialSecurityCard.objects.get(card_number_index=services.card_number_index("D90000001"))
    assert lost.status == "reported_lost" and lost.import_batch_id == later.pk


def test_one_audit_entry_per_import_with_counts_only(operator):
    batch = do_import(operator, csv_bytes(_two_rows()))
    entry = AuditEntry.objects.get(action="cards.import")
    assert entry.actor == operator and entry.target_id == str(batch.pk)
    assert entry.detail == {"rows": 2, "created": 2, "updated": 0, "unchanged": 0, "rejected": 0}


def test_the_report_never_holds_full_numbers(operator):
    rows = [
        row(bank="花旗银行"),  # the ID number is fine; the row is kept for its bank
        row(card_number="D90000002", name="王", account="6212x"),  # bad name and account
        row(card_number="D90000003", status=OTHER_ID),  # an ID number in the wrong column
        row(id_number="32010220040101991X", card_number="D90000004"),
    ]
    batch = do_import(operator, csv_bytes(rows))
    stored = str(CardImportBatch.objects.filter(pk=batch.pk).values_list("rejected_rows", flat=True)[0])
    for secret in (OTHER_ID, OTHER_ID[:-1], "6212260000000000011", "32010220040101991X", "王小红"):
        assert secret not in stored
    values = {(p["line"], p["column"]): p["value"] for p in read_rows(batch.rejected_rows)}
    assert values[(4, "卡状态")].startswith("32**********")
    assert values[(5, "证件号码")] == "3201**********991X"


# --- card_import: hostile and refused files ---------------------------------------------------

def test_formulas_are_plain_text_never_evaluated(operator):
    formula = "=cmd|' /C calc'!A0"
    csv_rows = [row(bank=formula), row(card_number="D90000002", generation="=1+2")]
    batch = do_import(operator, csv_bytes(csv_rows))
    assert batch.rejected_count == 2
    assert read_rows(batch.rejected_rows)[0]["value"] == formula
    assert read_rows(batch.rejected_rows)[1]["value"] == "=1+2"

    # In .xlsx a formula whose result would be valid (="第"&"三代") is still rejected as text.
    xlsx_rows = [row(card_number="D90000003", generation='="第"&"三代"')]
    batch = do_import(operator, xlsx_bytes(xlsx_rows), "cards.xlsx")
    assert batch.rejected_count == 1 and read_rows(batch.rejected_rows)[0]["column"] == "卡代际"
    assert read_rows(batch.rejected_rows)[0]["value"].startswith("=")
    assert not SocialSecurityCard.objects.exists()


def test_a_long_number_saved_as_a_number_in_excel_says_why(operator):
    batch = do_import(operator, xlsx_bytes([row(id_number=float(OTHER_ID[:-1] + "0"))]), "cards.xlsx")
    assert batch.rejected_count == 1
    assert "文本格式" in read_rows(batch.rejected_rows)[0]["reason"]


def test_wrong_header_is_refused_naming_the_missing_columns(operator):
    header = ["身份证号", "姓名", "卡号", "卡代际", "开户银行", "银行账号", "金融功能状态", "卡状态",
              "发卡日期"]
    message = refused(operator, csv_bytes([row()], header=header))
    assert "证件号码" in message and "社会保障卡号" in message
    assert "姓名" not in message.split("。")[0]


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"", "cards.csv", "文件是空的"),
    (os.urandom(4096), "cards.csv", "无法识别文件内容"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "cards.csv", "无法识别文件内容"),
    (",".join(HEADER).encode("utf-16"), "cards.csv", "无法识别文件内容"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "cards.xls", ".xls"),
    (b"PK\x03\x04" + os.urandom(2048), "cards.xlsx", "无法读取该.xlsx文件"),
    (b"not a zip at all", "cards.xlsx", "不是有效的.xlsx文件"),
    (",".join(HEADER).encode() + b"\r\n\r\n", "cards.csv", "没有数据行"),
    (b"\xe8\xaf\x81\x01\x02\x03,\x04\x05", "cards.csv", "无法识别文件内容"),
])
def test_garbage_is_refused_with_a_message(operator, data, name, message):
    assert message in refused(operator, data, name)


def test_an_xlsx_that_unpacks_too_big_is_refused_before_reading(operator, monkeypatch):
    monkeypatch.setattr(importing, "MAX_UNPACKED_BYTES", 1000)
    assert "解压后过大" in refused(operator, xlsx_bytes([row()]), "cards.xlsx")


def test_too_many_rows_are_refused(operator, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 3)
    rows = [row(card_number=f"D9000000{i}") for i in range(1, 5)]
    assert "上限" in refused(operator, csv_bytes(rows))
    assert do_import(operator, csv_bytes(rows[:3])).row_count == 3


def test_too_big_a_file_is_refused(operator, monkeypatch):
    monkeypatch.setattr(importing, "MAX_BYTES", 100)
    assert "20 MB" in refused(operator, csv_bytes([row(), row(card_number="D90000002")]))


def test_only_operators_import(person, school_reviewer):
    for actor in (person, school_reviewer):
        with pytest.raises(PermissionDenied):
            do_import(actor, csv_bytes([row()]))
    assert not SocialSecurityCard.objects.exists()


# --- The demo applicant's card ----------------------------------------------------------------

def test_demo_card_is_usable_and_idempotent(person):
    card = services.demo_card_for(id_number=person.id_number, name=person.name)
    again = services.demo_card_for(id_number=person.id_number, name=person.name)
    assert card.pk == again.pk and SocialSecurityCard.objects.count() == 1
    assert card.is_usable_for_payment and card.generation == 3
    assert card.id_number_index == person.id_number_index
