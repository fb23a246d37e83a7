"""Which evaluations staff see: those their organisation answers for. Operators see all."""

from django.db.models import Count, Q

from .models import POOR, Evaluation


def evaluation_list_for(actor):
    evaluations = Evaluation.objects.select_related("application", "organisation", "replied_by")
    if getattr(actor, "role", None) == "operator":
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
