"""Whose numbers a statistics page may show. The scope rules are the workbench's and the
payments' (review_selectors, payments.selectors), composed here, never written again: an
operator sees the province, a school reviewer its school, bureau staff (reviewers and payment
officers) the schools of their jurisdiction. Anyone else sees nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext

from servicehall.accounts.models import Role
from servicehall.accounts.permissions import may
from servicehall.core.actions import Action
from servicehall.evaluation.models import Evaluation, Rating
from servicehall.evaluation.selectors import rating_summary
from servicehall.payments.selectors import officer_bureau
from servicehall.subsidy.check_models import CheckResult
from servicehall.subsidy.constants import ApplicationStatus
from servicehall.subsidy.models import Application
from servicehall.subsidy.review_selectors import application_list_for_reviewer, bureau_school_scope
from servicehall.verification.selectors import lists_imported

if TYPE_CHECKING:
    import datetime

# verification.models.Outcome.PASSED, named here so that stats runs without that app.
PASSED = "passed"


def may_see_statistics(actor) -> bool:
    return may(actor, Action.VIEW_STATISTICS)


def application_scope_for(actor):
    """Submitted applications (drafts are nobody's business but their owner's) the actor may
    count. A queryset without ordering or joins, ready for values().annotate()."""
    if not may_see_statistics(actor):
        return Application.objects.none()
    if actor.role == Role.OPERATOR:
        scope = Application.objects.exclude(state=ApplicationStatus.DRAFT)
    elif actor.role == Role.PAYMENT_OFFICER:
        bureau = officer_bureau(actor)
        if bureau is None:
            return Application.objects.none()
        scope = Application.objects.exclude(state=ApplicationStatus.DRAFT).filter(bureau_school_scope(bureau))
    else:
        scope = application_list_for_reviewer(actor)
    return scope.select_related(None).order_by()


def sees_whole_province(actor) -> bool:
    """Only operators choose a city and a school; everyone else is held to their own."""
    return may_see_statistics(actor) and actor.role == Role.OPERATOR


def city_condition(city_code: str) -> Q:
    """A school of this city: located in the city itself or in one of its counties."""
    return Q(school__region_id=city_code) | Q(school__region__parent_id=city_code)


def filtered(scope, *, year=None, city: str = "", school=None):
    """The scope narrowed to one graduation year and, for an operator, a city (its code) or a
    school; a filter left empty does not narrow."""
    if year is not None:
        scope = scope.filter(graduation_year=year)
    if city:
        scope = scope.filter(city_condition(city))
    if school is not None:
        scope = scope.filter(school=school)
    return scope


# --- 比对: the share of checked applications the system's cross-checks passed --------------------


@dataclass(frozen=True)
class CheckShare:
    checked: int  # applications with at least one check result
    passed: int  # ... whose every result passed
    lists_imported: bool = True  # False: no registry list is imported, nothing could pass

    @property
    def percent(self) -> str:
        if not self.lists_imported:
            return gettext("未导入名单")
        return f"{self.passed * 100 / self.checked:.1f}%" if self.checked else "—"


def check_share(applications) -> CheckShare | None:
    """None while the hall holds no cross-check results (nothing was checked yet): the page then
    says 暂无数据. One aggregate query otherwise, and one more to tell whether any registry list
    is imported: without one the rate says 未导入名单, not 0.0 %.
    "Passed" is the system's own verdict: a result a reviewer overrode does not count."""
    results = CheckResult.objects.filter(application=OuterRef("pk"))
    checked = Exists(results)
    passed = checked & ~Exists(results.exclude(outcome=PASSED))
    totals = applications.aggregate(
        checked=Count("pk", filter=Q(checked)), passed=Count("pk", filter=Q(passed))
    )
    if not totals["checked"]:
        return None
    return CheckShare(checked=totals["checked"], passed=totals["passed"], lists_imported=lists_imported())


# --- 好差评: the applicants' ratings of the concluded cases in scope ------------------------------


@dataclass(frozen=True)
class Ratings:
    total: int
    by_grade: list  # [(label, count)], 非常满意 first
    poor: int
    awaiting: int  # poor ratings not yet answered
    overdue: int  # ... past their answer deadline

    @property
    def satisfied(self) -> int:
        """Rated 基本满意 or better."""
        return self.total - self.poor

    @property
    def satisfied_percent(self) -> str:
        return f"{self.satisfied * 100 / self.total:.1f}%" if self.total else "—"


def ratings(applications, *, now: datetime.datetime | None = None) -> Ratings | None:
    """One aggregate query over the evaluations of these applications; None when there are none."""
    evaluations = Evaluation.objects.filter(application__in=applications)
    summary = rating_summary(evaluations)
    if not summary["total"]:
        return None
    overdue = evaluations.filter(
        status=Evaluation.Status.AWAITING_REPLY, reply_due__lte=now or timezone.now()
    ).count()
    return Ratings(
        total=summary["total"],
        by_grade=[(str(grade.label), summary[f"rating_{grade.value}"]) for grade in Rating],
        poor=summary["poor"],
        awaiting=summary["awaiting"],
        overdue=overdue,
    )
