"""Which batches a payment officer may see: those of their own bureau, nothing else. Every
page, export and import of the payments goes through here; another bureau's batch is
not-found, never forbidden (its existence is not disclosed)."""

from datetime import timedelta

from django.db.models import Count, Sum
from django.utils import timezone

from servicehall.accounts.models import Organisation, Role

from .models import PaymentBatch, PaymentItem, PaymentJob, ReturnImport


def officer_bureau(actor) -> Organisation | None:
    """The bureau a payment officer acts for, or None if the actor is not one (any more)."""
    organisation = getattr(actor, "organisation", None)
    if (
        organisation is None
        or not getattr(actor, "is_active", False)
        or getattr(actor, "role", None) != Role.PAYMENT_OFFICER
        or organisation.kind != Organisation.Kind.BUREAU
        or not organisation.is_active
    ):
        return None
    return organisation


def batch_list_for(actor):
    bureau = officer_bureau(actor)
    if bureau is None:
        return PaymentBatch.objects.none()
    return PaymentBatch.objects.filter(bureau=bureau).select_related(
        "bureau", "graduation_year", "school", "created_by", "approved_by"
    )


def batch_get_for(actor, pk) -> PaymentBatch:
    """Raises PaymentBatch.DoesNotExist for a batch outside the actor's bureau."""
    return batch_list_for(actor).get(pk=pk)


def item_list_for(actor, batch):
    """The lines of a batch the actor may see (empty otherwise), in file order."""
    return PaymentItem.objects.filter(batch__in=batch_list_for(actor).filter(pk=batch.pk)).select_related(
        "batch", "bank", "application"
    )


def return_import_list_for(actor, batch):
    return (
        ReturnImport.objects.filter(batch__in=batch_list_for(actor).filter(pk=batch.pk))
        .select_related("bank", "imported_by")
        .defer("report")
    )


def return_import_get_for(actor, batch, pk: int):
    """One return-file import of the batch with its report (shown after the import), or None."""
    return return_import_list_for(actor, batch).defer(None).filter(pk=pk).first()


def batch_banks(batch) -> list[dict]:
    """The banks a batch pays through, each with its count and total: one file per bank."""
    return list(
        PaymentItem.objects.filter(batch=batch)
        .values("bank_id", "bank__name")
        .annotate(count=Count("id"), total_fen=Sum("amount_fen"))
        .order_by("bank__order", "bank_id")
    )


def bank_line_count(batch, bank_id) -> int:
    return PaymentItem.objects.filter(batch=batch, bank_id=str(bank_id)).count()


def job_get_for(actor, pk) -> PaymentJob:
    """A background job of the actor's bureau; PaymentJob.DoesNotExist otherwise."""
    bureau = officer_bureau(actor)
    if bureau is None:
        raise PaymentJob.DoesNotExist
    return PaymentJob.objects.select_related("batch", "created_by", "return_import").get(pk=pk, bureau=bureau)


def recent_job_list_for(actor, *, hours=24, limit=10):
    """The bureau's background jobs of the last day that are still running or did not finish
    well, so an officer who left the waiting page finds them again."""
    bureau = officer_bureau(actor)
    if bureau is None:
        return PaymentJob.objects.none()
    since = timezone.now() - timedelta(hours=hours)
    return (
        PaymentJob.objects.filter(bureau=bureau, created_at__gte=since)
        .exclude(status=PaymentJob.Status.DONE)
        .select_related("batch", "created_by")
        .order_by("-created_at", "-pk")[:limit]
    )
