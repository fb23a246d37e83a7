"""The eligibility rules, one function per rule, each citing its policy source. A rule reads one
person's claim and what the current registries hold about that person, and says passed, failed or
not found, with a sentence a person can read. Nothing here touches the database: changing a
year's rules is a readable diff of this file (and its tests).

Sources:
- 苏人社发〔2019〕198号 (江苏省 一次性求职创业补贴 implementation) and 财社〔2023〕181号
  (《就业补助资金管理办法》): who may claim: graduating students of 城乡低保家庭, 零就业家庭,
  防返贫监测对象家庭, 特困人员, 残疾, and those who received a 国家助学贷款 (生源地贷款 included).
- The four pledges of the application (申请承诺): 2. 本人未领取过求职创业补贴（包括在外省领取）;
  3. 此次申请补贴时本人未就业或确立劳动关系."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.utils.translation import gettext, gettext_noop

from .models import Outcome, Registry, Rule

# 毕业生类型 (subsidy.HardshipCategory.code) -> the registries that prove it (any one is enough).
# 苏人社发〔2019〕198号; 生源地信用助学贷款 counts as 国家助学贷款 (财社〔2023〕181号).
CATEGORY_REGISTRIES: dict[str, tuple[str, ...]] = {
    "subsistence_allowance": (Registry.SUBSISTENCE_ALLOWANCE,),
    "extreme_poverty": (Registry.EXTREME_POVERTY,),
    "disabled": (Registry.DISABILITY,),
    "relapse_monitoring": (Registry.RELAPSE_MONITORING,),
    "zero_employment": (Registry.ZERO_EMPLOYMENT,),
    "student_loan": (Registry.STUDENT_LOAN, Registry.ORIGIN_LOAN),
}

# A failed result of these rules stops approval until a reviewer overrides it with a reason.
BLOCKING_RULES = frozenset({Rule.NOT_EMPLOYED, Rule.NOT_GRANTED})


@dataclass(frozen=True)
class BatchInfo:
    """What a sentence says about where a finding comes from."""

    pk: int
    registry: str
    source: str  # the providing department, e.g. 民政
    imported_on: date
    province: str = ""

    @property
    def name(self) -> str:
        """民政城乡低保名单; a grant list names its province: 浙江省求职创业补贴发放名单."""
        return gettext("%(source)s%(registry)s") % {
            "source": self.province or self.source,
            "registry": Registry(self.registry).label,
        }

    @property
    def cited(self) -> str:
        """民政城乡低保名单（2026-09-01 导入）"""
        return gettext("%(name)s（%(day)s 导入）") % {"name": self.name, "day": self.imported_on.isoformat()}

    # Cached: a re-check cites the same few batches hundreds of thousands of times.
    @cached_property
    def as_json(self) -> dict:
        return {
            "pk": self.pk,
            "registry": self.registry,
            "source": self.source,
            "imported_on": self.imported_on.isoformat(),
            "province": self.province,
        }

    @classmethod
    def from_json(cls, data: dict) -> "BatchInfo":
        return cls(**{**data, "imported_on": date.fromisoformat(data["imported_on"])})


NAME_DIFFERS = gettext_noop("（名单中的姓名与申请人不一致，请核实）")


@dataclass(frozen=True)
class Sentence:
    """A finding's sentence kept as its untranslated text and its values, so that it reads in
    the language of whoever looks at it, long after the check ran. Values are JSON: batches
    ("list", "lists") are cited when the sentence is read, days are ISO strings."""

    text: str
    values: dict = field(default_factory=dict)
    name_differs: bool = False

    def __str__(self) -> str:
        values = {key: _cite(value) for key, value in self.values.items()}
        said = gettext(self.text) % values if values else gettext(self.text)
        return said + gettext(NAME_DIFFERS) if self.name_differs else said

    def as_json(self) -> dict:
        return {"text": self.text, "values": self.values, "name_differs": self.name_differs}

    @classmethod
    def from_json(cls, data: dict) -> "Sentence":
        return cls(data["text"], data.get("values") or {}, bool(data.get("name_differs")))


def _cite(value):
    """A batch (a dict) or batches (a list of dicts) as their citation; anything else as is."""
    if isinstance(value, dict):
        return BatchInfo.from_json(value).cited
    if isinstance(value, list):
        return "、".join(BatchInfo.from_json(batch).cited for batch in value)
    return value


@dataclass(frozen=True)
class Entry:
    batch: BatchInfo
    name_index: str
    valid_from: date | None = None
    valid_until: date | None = None
    grant_year: int | None = None

    def covers(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )


@dataclass(frozen=True)
class Claim:
    """What the rules know of a person: the ID number's and the name's blind indexes, the
    category claimed and the day the person had to qualify on (the application's date)."""

    id_number_index: str
    name_index: str
    category_code: str
    on_date: date


@dataclass(frozen=True)
class Evidence:
    """The current batch of each registry (several for grant lists, one per province) and this
    person's rows in them."""

    batches: dict[str, list[BatchInfo]] = field(default_factory=dict)
    entries: dict[str, list[Entry]] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    rule: str
    outcome: str
    said: Sentence
    batch: BatchInfo | None = None

    @property
    def sentence(self) -> str:
        """The sentence in the active language."""
        return str(self.said)

    @property
    def passed(self) -> bool:
        return self.outcome == Outcome.PASSED


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


# --- The rules --------------------------------------------------------------------------------


def category_in_registry(claim: Claim, evidence: Evidence) -> Finding:
    """毕业生类型: the person is in a registry that proves the chosen category, under the same
    name, and the status is valid on the application's date (苏人社发〔2019〕198号;
    财社〔2023〕181号). Not found when no such registry holds the ID number (or none has been
    imported): the person then proves it with the category's document."""
    rule = Rule.CATEGORY
    registries = CATEGORY_REGISTRIES.get(claim.category_code, ())
    imported = [batch for registry in registries for batch in evidence.batches.get(registry, [])]
    if not imported:
        return Finding(
            rule, Outcome.NOT_FOUND, Sentence(gettext_noop("该毕业生类型暂无可比对的名单，需上传证明材料"))
        )
    rows = [row for registry in registries for row in evidence.entries.get(registry, [])]
    if not rows:
        lists = [batch.as_json for batch in imported]
        return Finding(
            rule,
            Outcome.NOT_FOUND,
            Sentence(gettext_noop("%(lists)s中未查到本人"), {"lists": lists}),
            imported[0],
        )
    same_name = [row for row in rows if row.name_index == claim.name_index]
    for row in same_name:
        if row.covers(claim.on_date):
            if row.valid_until:
                said = Sentence(
                    gettext_noop("%(list)s中查到本人，有效期至 %(until)s"),
                    {"list": row.batch.as_json, "until": _day(row.valid_until)},
                )
            else:
                said = Sentence(gettext_noop("%(list)s中查到本人"), {"list": row.batch.as_json})
            return Finding(rule, Outcome.PASSED, said, row.batch)
    if not same_name:
        row = rows[0]
        said = Sentence(
            gettext_noop("%(list)s中查到该证件号码，但姓名与申请人不一致"), {"list": row.batch.as_json}
        )
        return Finding(rule, Outcome.FAILED, said, row.batch)
    row = same_name[0]
    values = {"list": row.batch.as_json, "day": _day(claim.on_date)}
    if row.valid_until and row.valid_until < claim.on_date:
        text = gettext_noop("%(list)s中查到本人，但有效期已于 %(until)s 结束，申请日 %(day)s 不在有效期内")
        values["until"] = _day(row.valid_until)
    else:
        text = gettext_noop("%(list)s中查到本人，但有效期自 %(from)s 开始，申请日 %(day)s 不在有效期内")
        values["from"] = _day(row.valid_from)
    return Finding(rule, Outcome.FAILED, Sentence(text, values), row.batch)


def not_employed_on_date(claim: Claim, evidence: Evidence) -> Finding:
    """未就业: on the application's date the person was not insured as an employee (pledge 3:
    此次申请补贴时本人未就业或确立劳动关系). A record found by ID number counts even when the
    name differs, which the sentence then says: the reviewer decides."""
    rule = Rule.NOT_EMPLOYED
    batches = evidence.batches.get(Registry.EMPLOYMENT, [])
    if not batches:
        return Finding(
            rule, Outcome.NOT_FOUND, Sentence(gettext_noop("尚未导入社保参保名单，未能核验就业情况"))
        )
    batch = batches[0]
    for row in evidence.entries.get(Registry.EMPLOYMENT, []):
        if row.covers(claim.on_date):
            said = Sentence(
                gettext_noop("%(list)s显示本人自 %(from)s 起以职工身份参保，申请日 %(day)s 处于参保期间"),
                {"list": row.batch.as_json, "from": _day(row.valid_from) or "—", "day": _day(claim.on_date)},
                name_differs=row.name_index != claim.name_index,
            )
            return Finding(rule, Outcome.FAILED, said, row.batch)
    said = Sentence(
        gettext_noop("%(list)s中未查到本人在申请日 %(day)s 的职工参保记录"),
        {"list": batch.as_json, "day": _day(claim.on_date)},
    )
    return Finding(rule, Outcome.PASSED, said, batch)


def not_granted_before(claim: Claim, evidence: Evidence) -> Finding:
    """未领取过: the person is on no grant list, this province's earlier years or another
    province's (pledge 2: 本人未领取过求职创业补贴（包括在外省领取）; the subsidy is paid once)."""
    rule = Rule.NOT_GRANTED
    batches = evidence.batches.get(Registry.PRIOR_GRANT, [])
    if not batches:
        said = Sentence(gettext_noop("尚未导入求职创业补贴发放名单，未能核验领取情况"))
        return Finding(rule, Outcome.NOT_FOUND, said)
    rows = sorted(evidence.entries.get(Registry.PRIOR_GRANT, []), key=lambda row: row.grant_year or 0)
    if rows:
        row = rows[0]
        said = Sentence(
            gettext_noop("%(list)s中查到本人%(year)s年已领取求职创业补贴"),
            {"list": row.batch.as_json, "year": row.grant_year},
            name_differs=row.name_index != claim.name_index,
        )
        return Finding(rule, Outcome.FAILED, said, row.batch)
    said = Sentence(
        gettext_noop("%(lists)s中均未查到本人的领取记录"), {"lists": [batch.as_json for batch in batches]}
    )
    return Finding(rule, Outcome.PASSED, said, batches[0])


RULES: tuple[Callable[[Claim, Evidence], Finding], ...] = (
    category_in_registry,
    not_employed_on_date,
    not_granted_before,
)


def registries_for(category_code: str) -> tuple[str, ...]:
    return CATEGORY_REGISTRIES.get(category_code, ())
