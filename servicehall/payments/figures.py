"""The payment figures, defined once: 发放统计, the batch page and its signed report, and the
statistics dashboard all count with these.

A line (PaymentItem) is one attempt to pay one person. A person whose first line failed and who
was paid after a 重新发放 has two lines, but is one person owed 1,500 元 once and paid once:
- persons: people with at least one line;
- due: what those people are owed, once each (the amount of each line still standing: paid,
  waiting for the bank, or failed and not yet re-issued);
- paid / pending: people paid / waiting for the bank, and their money (the database allows one
  paid and one pending line per person);
- failed attempts: lines the bank returned unpaid; an attempt, not money;
- re-issues: lines for a person who already had an earlier line."""

from django.db.models import BigIntegerField, Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce

from servicehall.core.money import money

from .models import PaymentItem

P = PaymentItem.Status

_EARLIER = PaymentItem.objects.filter(application=OuterRef("application"), pk__lt=OuterRef("pk"))
_LATER = PaymentItem.objects.filter(application=OuterRef("application"), pk__gt=OuterRef("pk"))
STANDING = Q(status__in=[P.PAID, P.PENDING]) | (Q(status=P.FAILED) & ~Q(Exists(_LATER)))
REISSUE = Q(Exists(_EARLIER))


def _fen(condition=None):
    return Coalesce(Sum("amount_fen", filter=condition), 0, output_field=BigIntegerField())


def figure_sums() -> dict:
    """The aggregate expressions, for `.aggregate(**figure_sums())` on lines or `.annotate()` on
    lines grouped by batch, bank, school or bureau."""
    return {
        "items": Count("pk"),
        "total_fen": _fen(),
        "persons": Count("application_id", distinct=True),
        "due_fen": _fen(STANDING),
        "paid_count": Count("pk", filter=Q(status=P.PAID)),
        "paid_fen": _fen(Q(status=P.PAID)),
        "pending_count": Count("pk", filter=Q(status=P.PENDING)),
        "pending_fen": _fen(Q(status=P.PENDING)),
        "failed_count": Count("pk", filter=Q(status=P.FAILED)),
        "failed_fen": _fen(Q(status=P.FAILED)),
        "reissues": Count("pk", filter=REISSUE),
    }


FIGURES = tuple(figure_sums())


def with_money(row: dict) -> dict:
    """A row of figures with each amount also as text for people ("1,500.00 元")."""
    return {
        **row,
        "total": money(row["total_fen"]),
        "due": money(row["due_fen"]),
        "paid": money(row["paid_fen"]),
        "failed": money(row["failed_fen"]),
        "pending": money(row["pending_fen"]),
    }


def figures_of(lines) -> dict:
    """The figures of these lines (a PaymentItem queryset), in one query."""
    return with_money(lines.aggregate(**figure_sums()))
