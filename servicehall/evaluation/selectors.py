"""Which evaluations staff see: those their organisation answers for. Operators see all."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy

from servicehall.accounts.permissions import may
from servicehall.core.actions import Action

from .models import POOR, Evaluation


def evaluation_list_for(actor):
    evaluations = Evaluation.objects.select_related("application", "organisation", "replied_by")
    if may(actor, Action.OPERATE):  # the province's operators see every evaluation
        return evaluations
    if getattr(actor, "organisation_id", None) is None or getattr(actor, "is_person", True):
        return evaluations.none()
    return evaluations.filter(organisation_id=actor.organisation_id)


def evaluation_get_for(actor, pk) -> Evaluation:
    return evaluation_list_for(actor).get(pk=pk)


def rating_summary(evaluations) -> dict:
    """Counts per grade and the share satisfied (基本满意 and better), for the statistics."""
    counts = evaluations.aggregate(
        total=Count("pk"),
        poor=Count("pk", filter=Q(rating__in=POOR)),
        awaiting=Count("pk", filter=Q(status=Evaluation.Status.AWAITING_REPLY)),
        **{f"rating_{value}": Count("pk", filter=Q(rating=value)) for value in range(1, 6)},
    )
    total = counts["total"]
    counts["satisfied_percent"] = round(100 * (total - counts["poor"]) / total, 1) if total else None
    return counts


# The staff list's tabs: key -> (condition, label).
TABS = {
    "awaiting": ({"status": Evaluation.Status.AWAITING_REPLY}, gettext_lazy("待答复")),
    "replied": ({"status": Evaluation.Status.REPLIED}, gettext_lazy("已答复")),
    "all": ({}, gettext_lazy("全部评价")),
}


def evaluation_tab_for(actor, tab: str):
    """One tab of the staff list, newest first (an unknown tab is 待答复's)."""
    condition = TABS.get(tab, TABS["awaiting"])[0]
    return evaluation_list_for(actor).filter(**condition).order_by("-rated_at", "-pk")


def evaluation_of(application) -> Evaluation | None:
    """The applicant's rating of a concluded case, with the organisation it is about."""
    return Evaluation.objects.filter(application=application).select_related("organisation").first()
