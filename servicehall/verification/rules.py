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

from django.utils.translation import gettext as _

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

    # Cached: a re-check cites the same few batches hundreds of thousands of times.
    @cached_property
    def name(self) -> str:
        """民政城乡低保名单; a grant list names its province: 浙江省求职创业补贴发放名单."""
        label = str(Registry(self.registry).label)
        if self.province:
            return f"{self.province}{label}"
        return f"{self.source}{label}"

    @cached_property
    def cited(self) -> str:
        """民政城乡低保名单（2026-09-01 导入）"""
        return _("%(name)s（%(day)s 导入）") % {"name": self.name, "day": self.imported_on.isoformat()}


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
    sentence: str
    batch: BatchInfo | None = None

    @property
    def source(self) -> str:
        return self.batch.name if self.batch else ""

    @property
    def passed(self) -> bool:
        return self.outcome == Outcome.PASSED


def _day(value: date) -> str:
    return value.isoformat()


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
        return Finding(rule, Outcome.NOT_FOUND, _("该毕业生类型暂无可比对的名单，需上传证明材料"))
    rows = [row for registry in registries for row in evidence.entries.get(registry, [])]
    if not rows:
        names = "、".join(batch.cited for batch in imported)
        return Finding(rule, Outcome.NOT_FOUND, _("%(lists)s中未查到本人") % {"lists": names}, imported[0])
    same_name = [row for row in rows if row.name_index == claim.name_index]
    for row in same_name:
        if row.covers(claim.on_date):
            if row.valid_until:
                sentence = _("%(list)s中查到本人，有效期至 %(until)s") % {
                    "list": row.batch.cited,
                    "until": _day(row.valid_until),
                }
            else:
                sentence = _("%(list)s中查到本人") % {"list": row.batch.cited}
            return Finding(rule, Outcome.PASSED, sentence, row.batch)
    if not same_name:
        row = rows[0]
        return Finding(
            rule,
            Outcome.FAILED,
            _("%(list)s中查到该证件号码，但姓名与申请人不一致") % {"list": row.batch.cited},
            row.batch,
        )
    row = same_name[0]
    if row.valid_until and row.valid_until < claim.on_date:
        sentence = _("%(list)s中查到本人，但有效期已于 %(until)s 结束，申请日 %(day)s 不在有效期内")
    else:
        sentence = _("%(list)s中查到本人，但有效期自 %(from)s 开始，申请日 %(day)s 不在有效期内")
    return Finding(
        rule,
        Outcome.FAILED,
        sentence
        % {
            "list": row.batch.cited,
            "until": _day(row.valid_until) if row.valid_until else "",
            "from": _day(row.valid_from) if row.valid_from else "",
            "day": _day(claim.on_date),
        },
        row.batch,
    )


def not_employed_on_date(claim: Claim, evidence: Evidence) -> Finding:
    """未就业: on the application's date the person was not insured as an employee (pledge 3:
    此次申请补贴时本人未就业或确立劳动关系). A record found by ID number counts even when the
    name differs, which the sentence then says: the reviewer decides."""
    rule = Rule.NOT_EMPLOYED
    batches = evidence.batches.get(Registry.EMPLOYMENT, [])
    if not batches:
        return Finding(rule, Outcome.NOT_FOUND, _("尚未导入社保参保名单，未能核验就业情况"))
    batch = batches[0]
    for row in evidence.entries.get(Registry.EMPLOYMENT, []):
        if row.covers(claim.on_date):
            sentence = _("%(list)s显示本人自 %(from)s 起以职工身份参保，申请日 %(day)s 处于参保期间") % {
                "list": row.batch.cited,
                "from": _day(row.valid_from) if row.valid_from else "—",
                "day": _day(claim.on_date),
            }
            if row.name_index != claim.name_index:
                sentence += _("（名单中的姓名与申请人不一致，请核实）")
            return Finding(rule, Outcome.FAILED, sentence, row.batch)
    return Finding(
        rule,
        Outcome.PASSED,
        _("%(list)s中未查到本人在申请日 %(day)s 的职工参保记录")
        % {"list": batch.cited, "day": _day(claim.on_date)},
        batch,
    )


def not_granted_before(claim: Claim, evidence: Evidence) -> Finding:
    """未领取过: the person is on no grant list, this province's earlier years or another
    province's (pledge 2: 本人未领取过求职创业补贴（包括在外省领取）; the subsidy is paid once)."""
    rule = Rule.NOT_GRANTED
    batches = evidence.batches.get(Registry.PRIOR_GRANT, [])
    if not batches:
        return Finding(rule, Outcome.NOT_FOUND, _("尚未导入求职创业补贴发放名单，未能核验领取情况"))
    rows = sorted(evidence.entries.get(Registry.PRIOR_GRANT, []), key=lambda row: row.grant_year or 0)
    if rows:
        row = rows[0]
        sentence = _("%(list)s中查到本人%(year)s年已领取求职创业补贴") % {
            "list": row.batch.cited,
            "year": row.grant_year,
        }
        if row.name_index != claim.name_index:
            sentence += _("（名单中的姓名与申请人不一致，请核实）")
        return Finding(rule, Outcome.FAILED, sentence, row.batch)
    names = "、".join(batch.cited for batch in batches)
    return Finding(
        rule, Outcome.PASSED, _("%(lists)s中均未查到本人的领取记录") % {"lists": names}, batches[0]
    )


RULES: tuple[Callable[[Claim, Evidence], Finding], ...] = (
    category_in_registry,
    not_employed_on_date,
    not_granted_before,
)


def registries_for(category_code: str) -> tuple[str, ...]:
    return CATEGORY_REGISTRIES.get(category_code, ())
