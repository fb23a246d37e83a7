"""Running the rules (rules.py) for applications and keeping their results, and a reviewer's
override of a failed employment or prior-grant check. The subsidy calls these with its own
applications (after a submission commits, on a reviewer's demand, for a whole school or bureau):
this app reads only what a check needs from them (the ID number's and the name's indexes, the
category, the date) and never decides who may see which."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, NamedTuple

import orjson
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.accounts.permissions import ensure_may
from servicehall.audit.services import audit_record
from servicehall.core.actions import Action
from servicehall.core.alongside import WriterAlongside
from servicehall.core.crypto import encrypt
from servicehall.core.errors import DomainError
from servicehall.verification import bulk, rules
from servicehall.verification.models import Outcome
from servicehall.verification.selectors import Registries, name_index

from . import selectors
from .check_models import CheckResult

if TYPE_CHECKING:
    from servicehall.accounts.models import User
    from servicehall.subsidy.models import Application

CHUNK = 1000
REASON_MIN, REASON_MAX = 5, 500
# What a re-check reads of an application. Nothing is decrypted: the category is named by its
# blind index, which the few categories' codes give back (_category_codes).
APPLICATION_FIELDS = ("pk", "id_number_index", "name", "category_index", "submitted_at")
RESULT_COLUMNS = [
    "application",
    "rule",
    "outcome",
    "detail_json",
    "checked_on",
    "checked_at",
    "overridden_by",
    "overridden_at",
    "override_reason",
]


class Claimant(NamedTuple):
    """An application as the checks read it (values, not a model instance)."""

    pk: int
    id_number_index: str
    name: str
    category_code: str
    submitted_at: datetime | None


def claim_date(application, zone=None) -> date:
    """The day the person had to qualify on: the day the application was submitted. `zone` (the
    current time zone) once for a whole re-check, rather than looked up for each application."""
    if application.submitted_at:
        return timezone.localdate(application.submitted_at, zone)
    return timezone.localdate(timezone=zone)


def category_finding(application, category_code: str | None = None) -> rules.Finding | None:
    """The category rule for an application being filled or submitted (for `category_code`, the
    one just chosen, else the saved one), asked at once with one indexed look-up: passed means
    the category's documents may be left out. None when no category is chosen."""
    from servicehall.verification.selectors import category_check

    code = application.category_code if category_code is None else category_code
    return category_check(
        id_number_index=application.id_number_index,
        name=application.name,
        category_code=code or "",
        on_date=claim_date(application),
    )


def category_verified(application) -> bool:
    finding = category_finding(application)
    return finding is not None and finding.passed


def _claim(application, zone) -> rules.Claim:
    return rules.Claim(
        id_number_index=application.id_number_index,
        name_index=name_index(application.name),
        category_code=application.category_code or "",
        on_date=claim_date(application, zone),
    )


def _detail(finding: rules.Finding) -> dict:
    """Stored encrypted in CheckResult.detail_json. The sentence is kept as its untranslated
    text and values (rules.Sentence): it is read in the reader's language."""
    batch = finding.batch
    return {
        "batch": batch.pk if batch else None,
        "batch_info": batch.as_json if batch else None,
        "said": finding.said.as_json(),
    }


def _kept_overrides(first: int, last: int) -> dict[tuple[int, str], CheckResult]:
    """The overrides of the applications whose keys run from `first` to `last`. Overrides stay
    while the check still fails on the same evidence (the same batch); a new finding, or a newer
    registry, needs a new look."""
    return {
        (result.application_id, result.rule): result
        for result in CheckResult.objects.filter(
            application_id__gte=first, application_id__lte=last, overridden_at__isnull=False
        )
    }


def _results(applications: list[Claimant], registries: Registries, now) -> list[tuple]:
    """One row per application and rule, in RESULT_COLUMNS order, ready for bulk.upsert."""
    found = registries.entries_for({a.id_number_index for a in applications})
    overridden = _kept_overrides(applications[0].pk, applications[-1].pk)  # taken in key order
    checked_at, zone = bulk.moment(now), timezone.get_current_timezone()
    days: dict[date, object] = {}  # a few distinct days, each adapted for the database once
    rows = []
    for application in applications:
        claim = _claim(application, zone)
        checked_on = days.get(claim.on_date) or days.setdefault(claim.on_date, bulk.day(claim.on_date))
        evidence = registries.evidence(found.get(application.id_number_index))
        for rule in rules.RULES:
            finding = rule(claim, evidence)
            detail = _detail(finding)
            kept = (None, None, "")
            before = overridden.get((application.pk, finding.rule))
            if before and finding.outcome == Outcome.FAILED and before.evidence_batch_id == detail["batch"]:
                kept = (
                    before.overridden_by_id,
                    bulk.moment(before.overridden_at),
                    encrypt(before.override_reason),
                )
            rows.append(
                (
                    application.pk,
                    finding.rule,
                    finding.outcome,
                    encrypt(orjson.dumps(detail).decode()),  # json.dumps: a sixth of a re-check (py-spy)
                    checked_on,
                    checked_at,
                    *kept,
                )
            )
    return rows


def checks_run(*, applications, now: datetime.datetime | None = None) -> int:
    """Check every application of the queryset `applications` against the current registries
    and replace their results. Works in chunks of CHUNK, taken in the order of their keys (each
    chunk the next CHUNK after the last key: no list of every key, no statement with a thousand
    of them): one read of the applications, one look-up of the registries' rows and one upsert
    of the results per chunk; the number of queries grows with chunks, not people. Returns how
    many applications were checked."""
    now = now or timezone.now()
    registries = Registries()
    checked, last = 0, 0
    # A chunk's results are written while the next chunk is checked (core.alongside).
    codes = _category_codes()
    with WriterAlongside() as writer:
        while chunk := _claimants_after(applications, last, codes):
            writer.write(_results_write, _results(chunk, registries, now))
            checked, last = checked + len(chunk), chunk[-1].pk
    return checked


def _category_codes() -> dict[str, str]:
    """{blind index: code} of every category any year has had: decrypting each application's
    category (7 µs) was some 7 % of a re-check's CPU, and there are a dozen codes."""
    return {selectors.category_index(code): code for _year, code in selectors.categories_every_year()}


def _claimants_after(applications, last: int, codes: dict[str, str]) -> list[Claimant]:
    """The next CHUNK applications of the queryset after the key `last`, as the checks read them.
    An application whose category's index is not among `codes` (none in practice: the index is
    written with the category, and a category once chosen is never deleted) has its category
    decrypted."""
    claimants, unnamed = [], []
    rows = applications.filter(pk__gt=last).order_by("pk").values_list(*APPLICATION_FIELDS)[:CHUNK]
    for pk, id_index, name, category, submitted_at in rows:
        claimants.append(Claimant(pk, id_index, name, codes.get(category, ""), submitted_at))
        if category not in codes:  # no index (none in practice), or a category no longer kept
            unnamed.append(pk)
    if unnamed:
        decrypted = dict(applications.model.objects.filter(pk__in=unnamed).values_list("pk", "category_code"))
        claimants = [
            c._replace(category_code=decrypted[c.pk]) if c.pk in decrypted else c for c in claimants
        ]
    return claimants


def _results_write(rows: list[tuple]) -> None:
    with transaction.atomic():
        bulk.upsert(
            CheckResult, RESULT_COLUMNS, rows, conflict=["application", "rule"], update=RESULT_COLUMNS[2:]
        )


# --- Override ---------------------------------------------------------------------------------


def application_recheck(*, application: Application) -> None:
    """检查一笔 again now: one application against the current registries (a reviewer's demand)."""
    checks_run(applications=type(application).objects.filter(pk=application.pk))


def check_override(
    *, actor: User, application: Application, rule: str, reason: str, client_address: str = ""
) -> CheckResult:
    """A reviewer who has verified a failed employment or prior-grant check lets the approval go
    ahead, with a written reason. `application` must come from the reviewer's own scope (the
    subsidy's review selectors); the reason is stored encrypted, the audit entry names the check."""
    ensure_may(actor, Action.OVERRIDE_CHECK, _("您没有办理此项审核的权限。"))
    if rule not in rules.BLOCKING_RULES:
        raise DomainError(_("只有就业和领取情况的比对结果可以核实放行。"), code="not_overridable")
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN:
        raise DomainError(
            _("请写明核实的情况和放行理由（至少5个字）"), code="reason_required", fields=("reason",)
        )
    if len(reason) > REASON_MAX:
        raise DomainError(_("放行理由最多500个字"), code="reason_too_long", fields=("reason",))
    with transaction.atomic():
        result = (
            CheckResult.objects.select_for_update().filter(application_id=application.pk, rule=rule).first()
        )
        if result is None or result.outcome != Outcome.FAILED:
            raise DomainError(_("该项比对当前没有未通过的结果，无需放行。请刷新页面。"), code="not_failed")
        if result.overridden_at is not None:
            return result
        result.overridden_by, result.overridden_at, result.override_reason = actor, timezone.now(), reason
        result.save(update_fields=["overridden_by", "overridden_at", "override_reason"])
        audit_record(
            actor=actor,
            action="verification.override",
            target=application,
            client_address=client_address,
            detail={"rule": rule, "check": result.pk},
        )
    return result


def approval_gate(application) -> None:
    """Raise when a failed employment or prior-grant check stops approval (call it inside the
    approval's transaction)."""
    from .check_selectors import approval_blockers

    blockers = approval_blockers(application.pk)
    if blockers:
        sentences = "；".join(result.sentence for result in blockers)
        raise DomainError(
            _(
                "比对未通过，暂不能通过审核：%(sentences)s。请核实后在“数据比对”中填写放行理由，或退回修改、不通过。"
            )
            % {"sentences": sentences},
            code="check_failed",
        )
