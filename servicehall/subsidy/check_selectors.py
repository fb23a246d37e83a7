"""Reads of applications' check results: a case's results, what blocks an approval, the
reviewers' queue filter and the one-line summary per row."""

from collections import defaultdict

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from servicehall.verification import rules
from servicehall.verification.models import Outcome, Rule

from .check_models import CheckResult


def checks_for(application) -> list[CheckResult]:
    order = {rule: number for number, rule in enumerate(Rule.values)}
    found = list(CheckResult.objects.filter(application_id=application.pk).select_related("overridden_by"))
    return sorted(found, key=lambda result: order.get(result.rule, 99))


def approval_blockers(application_id) -> list[CheckResult]:
    """Failed employment or prior-grant checks that no reviewer has overridden."""
    return list(
        CheckResult.objects.filter(
            application_id=application_id,
            rule__in=rules.BLOCKING_RULES,
            outcome=Outcome.FAILED,
            overridden_at__isnull=True,
        )
    )


def _has(**conditions):
    return Exists(CheckResult.objects.filter(application=OuterRef("pk"), **conditions))


BLOCKED = Q(_has(rule__in=rules.BLOCKING_RULES, outcome=Outcome.FAILED, overridden_at__isnull=True))

# The reviewers' queue filter: key -> (label, condition on applications).
CHECK_FILTERS = {
    "passed": (_("全部通过"), Q(_has()) & ~Q(_has(outcome__in=[Outcome.FAILED, Outcome.NOT_FOUND]))),
    "category_passed": (_("类型已核验"), Q(_has(rule=Rule.CATEGORY, outcome=Outcome.PASSED))),
    "category_other": (
        _("类型未核验（需看材料）"),
        Q(_has(rule=Rule.CATEGORY, outcome__in=[Outcome.FAILED, Outcome.NOT_FOUND])),
    ),
    "failed": (_("有未通过项"), Q(_has(outcome=Outcome.FAILED))),
    "blocked": (_("就业或领取比对未通过（待放行）"), BLOCKED),
    "overridden": (_("已核实放行"), Q(_has(overridden_at__isnull=False))),
    "unchecked": (_("尚未比对"), ~Q(_has())),
}


def check_filter_choices():
    return [("", _("全部")), *((key, label) for key, (label, _q) in CHECK_FILTERS.items())]


def filter_by_check(applications, key: str):
    """Applications whose check results match the filter `key` (CHECK_FILTERS)."""
    if key not in CHECK_FILTERS:
        return applications
    return applications.filter(CHECK_FILTERS[key][1])


def blocked_among(application_ids) -> set[int]:
    return set(
        CheckResult.objects.filter(
            application_id__in=list(application_ids),
            rule__in=rules.BLOCKING_RULES,
            outcome=Outcome.FAILED,
            overridden_at__isnull=True,
        ).values_list("application_id", flat=True)
    )


def summary_for(application_ids) -> dict[int, tuple[str, str]]:
    """{application id: (words, tag style)} for a page of the queue, one query: what most needs
    the reviewer's eye first."""
    found: dict[int, dict[str, str]] = defaultdict(dict)
    for app_id, rule, outcome, overridden in CheckResult.objects.filter(
        application_id__in=list(application_ids)
    ).values_list("application_id", "rule", "outcome", "overridden_at"):
        found[app_id][rule] = "overridden" if overridden else outcome
    summaries = {}
    for app_id, outcomes in found.items():
        if any(outcomes.get(rule) == Outcome.FAILED for rule in rules.BLOCKING_RULES):
            summaries[app_id] = (_("就业或领取未通过"), "tag--refused")
        elif outcomes.get(Rule.CATEGORY) != Outcome.PASSED:
            summaries[app_id] = (_("类型需看材料"), "tag--pending")
        elif "overridden" in outcomes.values():
            summaries[app_id] = (_("已核实放行"), "tag--done")
        elif Outcome.NOT_FOUND in outcomes.values():
            summaries[app_id] = (_("部分未能比对"), "tag--pending")
        else:
            summaries[app_id] = (_("全部通过"), "tag--done")
    return summaries
