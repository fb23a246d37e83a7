"""A school's list of its graduating class (毕业生名单) as the hall reads it: the file through the
one table reader (core.tables, by way of cards.importing.read_table), the header checked, each
cell turned into a value or a problem in the same words as the other imports. Nothing here
writes; services.py does."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicehall.accounts.identity import check_mobile, check_name
from servicehall.cards.importing import Layout, check_id_number, safe_value
from servicehall.core.errors import DomainError
from servicehall.reference.models import EducationLevel

# (field, the column's header) in the documented order (docs/outreach-list-format.md).
COLUMNS = [
    ("name", "姓名"),
    ("id_number", "证件号码"),
    ("student_number", "学号"),
    ("department", "院系"),
    ("major", "专业"),
    ("education_level", "学历"),
    ("graduation_year", "毕业年度"),
    ("mobile", "手机号码"),
]
LAYOUT = Layout(
    COLUMNS,
    gettext_lazy("文件是空的，请选择本校毕业生名单"),
    aliases={
        "身份证号码": "证件号码",
        "身份证号": "证件号码",
        "所在院系": "院系",
        "手机号": "手机号码",
        "学历层次": "学历",
        "毕业年份": "毕业年度",
    },
)
TEXT_MAX = {"student_number": 30, "department": 60, "major": 60}
# Names schools write for the levels of reference.EducationLevel.
LEVEL_ALIASES = {
    "博士": "博士研究生",
    "硕士": "硕士研究生",
    "研究生": "硕士研究生",
    "本科": "大学本科",
    "专科": "大学专科",
    "高职": "大学专科",
    "大专": "大学专科",
    "中专": "中等专科",
    "职高": "职业高中",
    "技校": "技工学校",
}


@dataclass(frozen=True)
class GraduateValues:
    name: str
    id_number: str
    student_number: str
    department: str
    major: str
    education_level: EducationLevel | None
    graduation_year: int
    mobile: str


def _error(field_name: str, message) -> DomainError:
    return DomainError(message, code="invalid", fields=(field_name,))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _plain(field_name: str, value, label: str) -> str:
    text = _text(value)
    if len(text) > TEXT_MAX[field_name]:
        raise _error(
            field_name, _("%(label)s不能超过%(max)s个字") % {"label": label, "max": TEXT_MAX[field_name]}
        )
    return text


def levels_by_name() -> dict[str, EducationLevel]:
    return {level.name: level for level in EducationLevel.objects.filter(is_selectable=True)}


def check_level(value, levels: dict[str, EducationLevel]) -> EducationLevel | None:
    text = _text(value)
    if not text:
        return None
    level = levels.get(LEVEL_ALIASES.get(text, text))
    if level is None:
        raise _error("education_level", _("学历应为以下之一：%(names)s") % {"names": "、".join(levels)})
    return level


def check_year(value, expected: int) -> int:
    text = _text(value)
    if not text.isdigit():
        raise _error("graduation_year", _("毕业年度应为4位年份，如%(year)s") % {"year": expected})
    if int(text) != expected:
        raise _error("graduation_year", _("毕业年度应为%(year)s（本次导入的毕业年度）") % {"year": expected})
    return expected


def check_list_mobile(value) -> str:
    """Blank is allowed (the invitation then reaches the person only in the hall)."""
    text = _text(value)
    if not text:
        return ""
    try:
        return check_mobile(text)
    except DomainError as exc:
        raise _error("mobile", exc.message) from None


def check_values(raw: dict, *, year: int, levels: dict[str, EducationLevel], today: date | None = None):
    """(GraduateValues, []) when every value is good, else (None, [DomainError per bad field])."""
    values, problems = {}, []
    checks = {
        "name": lambda v: check_name(_text(v)),
        "id_number": lambda v: check_id_number(v, today=today),
        "student_number": lambda v: _plain("student_number", v, _("学号")),
        "department": lambda v: _plain("department", v, _("院系")),
        "major": lambda v: _plain("major", v, _("专业")),
        "education_level": lambda v: check_level(v, levels),
        "graduation_year": lambda v: check_year(v, year),
        "mobile": check_list_mobile,
    }
    for name, _label in COLUMNS:
        try:
            values[name] = checks[name](raw.get(name))
        except DomainError as exc:
            problems.append(exc if exc.fields else _error(name, exc.message))
    if problems:
        return None, problems
    return GraduateValues(**values), []


def problem_row(line: int, raw: dict, problem: DomainError) -> dict:
    """What the report keeps of a refused line: its number, the column, the cell masked, why."""
    field_name = problem.fields[0] if problem.fields else ""
    value = raw.get(field_name) if field_name else ""
    kept = safe_value("id_number" if field_name == "id_number" else field_name, value)
    if field_name == "mobile":
        kept = kept[:3] + "****" + kept[-4:] if len(kept) >= 7 else kept
    return {
        "line": line,
        "column": dict(COLUMNS).get(field_name, ""),
        "value": kept,
        "reason": str(problem.message),
    }
