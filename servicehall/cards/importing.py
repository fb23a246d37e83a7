"""The card system's export and the table of 即时制卡网点 as the hall reads them (see
IMPORT_FORMAT.md): the file is read into rows (CSV in UTF-8 with or without BOM or GB18030, or
.xlsx), the header checked, and each cell turned into a value or a problem. Nothing here writes;
services.py does."""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicehall.accounts.identity import check_name, normalise
from servicehall.core.errors import DomainError
from servicehall.core.logging import redact
from servicehall.core.masking import mask_account, mask_id_number, mask_name
from servicehall.core.tables import cell_text, file_rows, is_blank
from servicehall.reference.id_numbers import IdNumberProblem, resident_id
from servicehall.reference.models import Bank, Region

from .models import SocialSecurityCard, mask_card_number

MAX_ROWS = 50_000
MAX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
EARLIEST_ISSUE = date(1990, 1, 1)

# (field, the column's header) in the documented order.
COLUMNS = [
    ("id_number", "证件号码"),
    ("name", "姓名"),
    ("card_number", "社会保障卡号"),
    ("generation", "卡代际"),
    ("bank", "开户银行"),
    ("account", "银行账号"),
    ("financial_active", "金融功能状态"),
    ("status", "卡状态"),
    ("issued_on", "发卡日期"),
]
COLUMN_LABEL = dict(COLUMNS)
NUMBER_FIELDS = {"id_number", "card_number", "account"}

_ID_NUMBER = re.compile(r"^\d{17}[\dX]$")
_CARD_NUMBER = re.compile(r"^[A-Z0-9]{9}$")
_ACCOUNT = re.compile(r"^\d{12,25}$")
_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_LONG_DIGITS = re.compile(r"\d{6,}")
_PLAIN_NUMBER = re.compile(r"[0-9A-Z]+")

GENERATIONS = {"2": 2, "3": 3, "第二代": 2, "第三代": 3, "二代": 2, "三代": 3}
FINANCIAL = {"已开通": True, "未开通": False}
STATUSES = {
    "正常": SocialSecurityCard.Status.NORMAL,
    "挂失": SocialSecurityCard.Status.REPORTED_LOST,
    "注销": SocialSecurityCard.Status.CANCELLED,
}


@dataclass(frozen=True)
class CardValues:
    """One card's values, checked and normalised."""

    id_number: str
    name: str
    card_number: str
    generation: int
    bank: Bank
    account: str
    financial_active: bool
    status: str
    issued_on: date


@dataclass(frozen=True)
class Layout:
    """A table the hall imports: its (field, header) columns, other spellings of a header that
    mean the same column, and what to say when the file holds nothing."""

    columns: list[tuple[str, str]]
    empty_message: str
    aliases: dict[str, str] = field(default_factory=dict)


CARD_LAYOUT = Layout(COLUMNS, gettext_lazy("文件是空的，请选择从社会保障卡系统导出的数据文件"))


@dataclass
class Table:
    """What a file held: its data rows as (line number, {field: cell}), blank rows left out."""

    rows: list[tuple[int, dict]] = field(default_factory=list)


def _file_error(message) -> DomainError:
    return DomainError(message, code="import_file", fields=("file",))


# --- Reading the file -------------------------------------------------------------------------

def read_table(data: bytes, *, filename: str, layout: Layout | None = None) -> Table:
    """Rows of a CSV or .xlsx file (read by core.tables) whose first non-blank row is the
    documented header (the card export's unless `layout` names another). Raises DomainError
    (field "file") for anything that is not such a table."""
    layout = layout or CARD_LAYOUT
    if not data:
        raise _file_error(str(layout.empty_message))
    if len(data) > MAX_BYTES:
        raise _file_error(_("文件超过20 MB，请拆分后分批导入"))
    return _with_header(file_rows(data, filename=filename, max_unpacked=MAX_UNPACKED_BYTES), layout)


def read_upload(uploaded_file) -> tuple[str, bytes]:
    """The upload's file name (its last part only) and at most MAX_BYTES + 1 of its bytes."""
    filename = PurePath(str(getattr(uploaded_file, "name", "") or "")).name[:200] or "upload"
    if (getattr(uploaded_file, "size", 0) or 0) > MAX_BYTES:
        raise _file_error(_("文件超过20 MB，请拆分后分批导入"))
    uploaded_file.seek(0)
    return filename, uploaded_file.read(MAX_BYTES + 1)


def _with_header(lines, layout: Layout) -> Table:
    header = None
    positions: dict[str, int] = {}
    table = Table()
    for line, cells in lines:
        if is_blank(cells):
            continue
        if header is None:
            header = [cell_text(cell) for cell in cells]
            header = [layout.aliases.get(name, name) for name in header]
            positions = _check_header(header, layout.columns)
            continue
        if len(table.rows) >= MAX_ROWS:
            raise _file_error(
                _("数据超过%(max)s行的上限，请拆分后分批导入") % {"max": f"{MAX_ROWS:,}"}
            )
        row = {name: (cells[index] if index < len(cells) else None)
               for name, index in positions.items()}
        table.rows.append((line, row))
    if header is None:
        raise _file_error(str(layout.empty_message))
    if not table.rows:
        raise _file_error(_("文件中只有表头，没有数据行"))
    return table


def _check_header(header: list[str], columns) -> dict[str, int]:
    missing = [label for _name, label in columns if label not in header]
    if missing:
        raise _file_error(
            _("表头缺少以下列：%(missing)s。第一行应为：%(expected)s")
            % {"missing": "、".join(missing), "expected": ",".join(label for _n, label in columns)}
        )
    repeated = [label for _name, label in columns if header.count(label) > 1]
    if repeated:
        raise _file_error(_("表头中以下列出现了不止一次：%(columns)s") % {"columns": "、".join(repeated)})
    return {name: header.index(label) for name, label in columns}


# --- Checking values --------------------------------------------------------------------------

def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def _number_text(value) -> str:
    """ID, card and account numbers: no spaces or dashes, a leading ' (Excel's "as text")
    dropped, x made X. Plain ASCII digits and capitals, the common case, are already that."""
    if isinstance(value, str) and _PLAIN_NUMBER.fullmatch(value):
        return value
    return normalise(_text(value)).lstrip("'").replace("-", "")


def _error(field_name: str, message) -> DomainError:
    return DomainError(message, code="invalid", fields=(field_name,))


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _numeric_hint(value) -> str:
    if _is_number(value):
        return _("（该列在表格中被保存成了数字，长数字的末几位会丢失，请将该列设为文本格式后重新导出）")
    return ""


def _digits_lost(value) -> bool:
    """A spreadsheet keeps 15 significant digits: a longer number stored as a float has lost
    its last digits, whatever they now read."""
    return isinstance(value, float) and abs(value) >= 1e15


def check_id_number(value, *, today: date | None = None) -> str:
    """`today` once for a whole file, rather than asked of the time zone for each line."""
    number = _number_text(value)
    if not number:
        raise _error("id_number", _("请填写证件号码"))
    if _digits_lost(value):
        raise _error("id_number", _("居民身份证号码应为18位，最后一位可以是数字或X") + _numeric_hint(value))
    try:
        resident_id(number, today=today)
    except IdNumberProblem as problem:
        hint = _numeric_hint(value) if problem.code in ("id_format", "id_checksum") else ""
        raise _error("id_number", problem.message + hint) from None
    return number


def check_card_number(value) -> str:
    number = _number_text(value)
    if not number:
        raise _error("card_number", _("请填写社会保障卡号"))
    if not _CARD_NUMBER.match(number):
        raise _error("card_number", _("社会保障卡号应为9位字母或数字（如A12345678）")
                     + _numeric_hint(value))
    return number


def check_account(value) -> str:
    number = _number_text(value)
    if not number:
        raise _error("account", _("请填写银行账号"))
    if _digits_lost(value) or not _ACCOUNT.match(number):
        raise _error("account", _("银行账号应为12-25位数字") + _numeric_hint(value))
    return number


def check_card_name(value) -> str:
    try:
        return check_name(_text(value))
    except DomainError as exc:
        raise _error("name", exc.message) from exc


def check_generation(value) -> int:
    if _is_number(value) and value in (2, 3):
        return int(value)
    generation = GENERATIONS.get(_text(value))
    if generation is None:
        raise _error("generation", _("卡代际应为2、3、第二代或第三代"))
    return generation


def check_financial(value) -> bool:
    if isinstance(value, bool):
        return value
    active = FINANCIAL.get(_text(value))
    if active is None:
        raise _error("financial_active", _("金融功能状态应为“已开通”或“未开通”"))
    return active


def check_status(value) -> str:
    text = _text(value)
    if text in SocialSecurityCard.Status.values:
        return text
    status = STATUSES.get(text)
    if status is None:
        raise _error("status", _("卡状态应为“正常”“挂失”或“注销”"))
    return status


def check_issued_on(value) -> date:
    if isinstance(value, datetime):
        issued = value.date()
    elif isinstance(value, date):
        issued = value
    elif _is_number(value):
        issued = _excel_serial(value)
    else:
        issued = _date_text(_text(value))
    if issued < EARLIEST_ISSUE:
        raise _error("issued_on", _("发卡日期不应早于1990年"))
    if issued > timezone.localdate():
        raise _error("issued_on", _("发卡日期不能晚于今天"))
    return issued


def _excel_serial(value) -> date:
    from openpyxl.utils.datetime import from_excel

    try:
        if not 1 <= value <= 2_958_465:
            raise ValueError
        return from_excel(value).date()
    except (ValueError, OverflowError, TypeError) as exc:
        raise _error("issued_on", _("发卡日期应为YYYY-MM-DD格式，如2024-09-01")) from exc


def _date_text(text: str) -> date:
    found = _DATE.match(text)
    if not text:
        raise _error("issued_on", _("请填写发卡日期"))
    if not found:
        raise _error("issued_on", _("发卡日期应为YYYY-MM-DD格式，如2024-09-01"))
    try:
        return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError as exc:
        raise _error("issued_on", _("发卡日期不存在，请核对")) from exc


def bank_lookup() -> dict[str, Bank]:
    """Banks by code and by name, as the export may give either."""
    banks = {}
    for bank in Bank.objects.all():
        banks[bank.code.upper()] = bank
        banks[bank.name] = bank
    return banks


def check_bank(value, banks: dict[str, Bank] | None = None) -> Bank:
    if isinstance(value, Bank):
        if value.pk and Bank.objects.filter(pk=value.pk).exists():
            return value
        raise _error("bank", _("开户银行不存在"))
    text = _text(value)
    if not text:
        raise _error("bank", _("请填写开户银行"))
    banks = banks if banks is not None else bank_lookup()
    bank = banks.get(text) or banks.get(text.upper())
    if bank is None:
        raise _error("bank", _("未找到该开户银行，请填写社会保障卡合作银行的名称或代码"
                               "（如“中国工商银行”或“102”）"))
    return bank


CHECKS = {
    "id_number": check_id_number,
    "name": check_card_name,
    "card_number": check_card_number,
    "generation": check_generation,
    "account": check_account,
    "financial_active": check_financial,
    "status": check_status,
    "issued_on": check_issued_on,
}


def check_values(raw: dict, *, banks: dict[str, Bank] | None = None):
    """(CardValues, []) when every value is good, else (None, [DomainError per bad field])."""
    values, problems = {}, []
    for name, _label in COLUMNS:
        try:
            if name == "bank":
                values[name] = check_bank(raw.get(name), banks)
            else:
                values[name] = CHECKS[name](raw.get(name))
        except DomainError as exc:
            problems.append(exc)
    if problems:
        return None, problems
    return CardValues(**values), []


def safe_value(field_name: str, value) -> str:
    """What a problem report may keep of a cell: masked personal numbers, short text, and no
    long run of digits anywhere (a misplaced ID or account number)."""
    text = _text(value)[:60]
    if field_name == "id_number":
        text = mask_id_number(text)
    elif field_name == "card_number":
        text = mask_card_number(text)
    elif field_name == "account":
        text = mask_account(text) if text else ""
    elif field_name == "name":
        text = mask_name(text)
    text = _LONG_DIGITS.sub(lambda m: m.group()[:2] + "*" * (len(m.group()) - 4) + m.group()[-2:],
                            text)
    return redact(text)[:40]


# --- 即时制卡网点 (card outlets) ------------------------------------------------------------------

OUTLET_COLUMNS = [
    ("city", "城市"),
    ("district", "区县"),
    ("name", "网点名称"),
    ("address", "地址"),
    ("hours", "营业时间"),
    ("phone", "联系电话"),
    ("takes_photos", "可现场拍照(是/否)"),
]
OUTLET_COLUMN_LABEL = dict(OUTLET_COLUMNS)
OUTLET_LAYOUT = Layout(
    OUTLET_COLUMNS,
    gettext_lazy("文件是空的，请选择即时制卡网点信息表"),
    # Headers are NFKC-normalised first, so "可现场拍照（是/否）" is already "可现场拍照(是/否)".
    aliases={"可现场拍照": "可现场拍照(是/否)"},
)
OUTLET_NAME_MAX = 100
OUTLET_ADDRESS_MAX = 200
OUTLET_HOURS_MAX = 200
OUTLET_PHONE_MAX = 100
PHONE_SEPARATOR = "、"

_PROVINCE_PREFIXES = ("江苏省", "江苏")
_COUNTY_SUFFIXES = ("区", "县", "市")
# Full-width digits, letters and the ideographic space (as typed with a Chinese input method) in
# plain text are made ASCII; Chinese punctuation such as （） and ， is kept as written.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F) if chr(code).isalnum()}
_HALF_WIDTH[0x3000] = 0x20
_CONTROL_ANY = re.compile(r"[\x00-\x1f\x7f]")
_PHONE_SPLIT = re.compile(r"\s*(?:[、,，;；/／]|或)\s*")
_PHONE_AREA_BRACKETS = re.compile(r"^\((0\d{2,3})\)")
# One number as outlets publish them: 025-83279999 (area code, then optionally an extension after
# "-" or "转", stored after "转"), a 7- or 8-digit local number, a mobile, a 5-digit service
# number (12333, 95588), or a 400/800 number.
_PHONE_LANDLINE = re.compile(r"^(0\d{2,3}-?\d{7,8})(?:[-转](\d{1,6}))?$")
_PHONE_OTHER = re.compile(r"^(?:\d{7,8}|1[3-9]\d{9}|\d{5}|[48]00-?\d{3}-?\d{4})$")
YES_NO = {"是": True, "否": False}


@dataclass(frozen=True)
class OutletValues:
    """One outlet's values, checked and normalised."""

    city: Region
    district: Region | None
    name: str
    address: str
    hours: str
    phone: str
    takes_photos: bool


def plain_text(value) -> str:
    """A cell as one line of text: full-width letters and digits made ASCII, control characters
    and line breaks made spaces, runs of spaces made one, trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _CONTROL_ANY.sub(" ", str(value).translate(_HALF_WIDTH))
    return " ".join(text.split())


def _outlet_text(field_name: str, value, *, required_message, max_length: int, too_long) -> str:
    text = plain_text(value)
    if not text:
        if required_message:
            raise _error(field_name, required_message)
        return ""
    if text.startswith("="):
        raise _error(field_name, _("单元格内容是公式，请在Excel中将该列“粘贴为数值”后重新导出"))
    if len(text) > max_length:
        raise _error(field_name, too_long)
    return text


def check_outlet_name(value) -> str:
    return _outlet_text("name", value, required_message=_("请填写网点名称"),
                        max_length=OUTLET_NAME_MAX,
                        too_long=_("网点名称不能超过%(max)s个字") % {"max": OUTLET_NAME_MAX})


def check_outlet_address(value) -> str:
    return _outlet_text("address", value, required_message=_("请填写网点地址"),
                        max_length=OUTLET_ADDRESS_MAX,
                        too_long=_("地址不能超过%(max)s个字") % {"max": OUTLET_ADDRESS_MAX})


def check_outlet_hours(value) -> str:
    return _outlet_text("hours", value, required_message=None, max_length=OUTLET_HOURS_MAX,
                        too_long=_("营业时间不能超过%(max)s个字") % {"max": OUTLET_HOURS_MAX})


def check_outlet_phone(value) -> str:
    """One or more numbers, stored separated by "、". Blank is allowed (the page then says the
    number is not given)."""
    text = _outlet_text("phone", value, required_message=None, max_length=OUTLET_PHONE_MAX,
                        too_long=_("联系电话不能超过%(max)s个字符") % {"max": OUTLET_PHONE_MAX})
    if not text:
        return ""
    numbers = []
    for part in _PHONE_SPLIT.split(unicodedata.normalize("NFKC", text)):
        number = _PHONE_AREA_BRACKETS.sub(r"\1-", part.replace(" ", ""))
        if not number:
            continue
        landline = _PHONE_LANDLINE.match(number)
        if landline:
            number = landline.group(1) + ("转" + landline.group(2) if landline.group(2) else "")
        elif not _PHONE_OTHER.match(number):
            hint = ""
            if _is_number(value):
                hint = _("（该列在表格中被保存成了数字，区号开头的0会丢失，请将该列设为文本格式）")
            raise _error("phone", _("联系电话格式不正确：请填写“区号-号码”（如025-83279999）、手机号码"
                                    "或12333，多个号码之间用“、”分隔") + hint)
        numbers.append(number)
    return PHONE_SEPARATOR.join(numbers)


def check_takes_photos(value) -> bool:
    if isinstance(value, bool):
        return value
    answer = YES_NO.get(plain_text(value))
    if answer is None:
        raise _error("takes_photos", _("可现场拍照应填“是”或“否”"))
    return answer


def _without_prefix(text: str, prefixes) -> str:
    for prefix in prefixes:
        if prefix and text.startswith(prefix) and len(text) > len(prefix):
            return text[len(prefix):]
    return text


class JiangsuRegions:
    """Jiangsu's prefecture-level cities and their counties by the names an outlet table uses:
    "南京市" or "南京"; "玄武区" or "玄武" (a county's short name only when at least two
    characters are left, so "丰县" stays "丰县"), looked up within its city."""

    def __init__(self):
        from servicehall.reference.selectors import JIANGSU_CODE

        self.cities: dict[str, Region] = {}
        self.counties: dict[str, dict[str, Region]] = {}
        self.first_county: dict[str, Region] = {}
        for city in Region.objects.filter(parent_id=JIANGSU_CODE, level=Region.Level.PREFECTURE):
            self.cities[city.name] = city
            self.cities[city.name.removesuffix("市")] = city
            self.cities[city.code] = city
        for county in Region.objects.filter(
            parent__parent_id=JIANGSU_CODE, level=Region.Level.COUNTY
        ).order_by("code"):
            names = self.counties.setdefault(county.parent_id, {})
            self.first_county.setdefault(county.parent_id, county)
            names[county.name] = county
            if len(county.name) >= 3 and county.name.endswith(_COUNTY_SUFFIXES):
                names.setdefault(county.name[:-1], county)

    def city(self, value) -> Region:
        text = _without_prefix(plain_text(value).replace(" ", ""), _PROVINCE_PREFIXES)
        if not text:
            raise _error("city", _("请填写城市，如“南京市”"))
        city = self.cities.get(text)
        if city is None:
            raise _error("city", _("未找到该城市：请填写江苏省13个设区市之一，如“南京市”或“南京”"))
        return city

    def district(self, value, city: Region) -> Region | None:
        text = _without_prefix(plain_text(value).replace(" ", ""), _PROVINCE_PREFIXES)
        text = _without_prefix(text, (city.name, city.name.removesuffix("市")))
        if not text:
            return None
        county = self.counties.get(city.code, {}).get(text)
        if county is None:
            example = self.first_county.get(city.code)
            message = _("%(city)s没有这个区县，请填写%(city)s下属的区、县或县级市，如“%(example)s”")
            raise _error("district", message % {"city": city.name,
                                                "example": example.name if example else ""})
        return county


def check_outlet_values(raw: dict, *, regions: JiangsuRegions | None = None):
    """(OutletValues, []) when every value is good, else (None, [DomainError per bad field])."""
    regions = regions or JiangsuRegions()
    values, problems = {}, []
    checks = {
        "name": check_outlet_name, "address": check_outlet_address, "hours": check_outlet_hours,
        "phone": check_outlet_phone, "takes_photos": check_takes_photos,
    }
    for name, _label in OUTLET_COLUMNS:
        try:
            if name == "city":
                values[name] = regions.city(raw.get(name))
            elif name == "district":
                if "city" in values:  # a district can only be checked against a known city
                    values[name] = regions.district(raw.get(name), values["city"])
            else:
                values[name] = checks[name](raw.get(name))
        except DomainError as exc:
            problems.append(exc)
    if problems:
        return None, problems
    return OutletValues(**values), []
