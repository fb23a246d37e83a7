"""A graduation year's worth of applications in every state, made in bulk for the statistics'
tests and benchmark (servicehall/stats, tests/e2e/test_stats_dashboard.py,
bench/dashboard_scale.py): schools, hardship categories, submission days across the main
window, the timeline of decisions that brought each one where it is, and the payment batches
of those that reached 发放. Deterministic for a given seed. Written with bulk_create a chunk
at a time: 100,000 applications never become 100,000 objects at once."""

import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import Count, OuterRef, Subquery, Sum
from django.utils import timezone

from servicehall.payments.models import PaymentBatch, PaymentItem
from servicehall.reference.workdays import SHANGHAI
from servicehall.subsidy.constants import ApplicationStatus
from servicehall.subsidy.models import (
    Application,
    ApplicationWindow,
    HardshipCategory,
    TimelineEvent,
    WindowKind,
)
from servicehall.subsidy.selectors import category_index

S = ApplicationStatus
CHUNK = 2000
AMOUNT_FEN = 150_000
# Roughly how a September ends: most paid, some in every step, a few stopped.
STATE_WEIGHTS = {
    S.SCHOOL_REVIEW: 14,
    S.RETURNED: 5,
    S.REFUSED: 3,
    S.WITHDRAWN: 2,
    S.PUBLICITY: 8,
    S.FIRST_REVIEW: 10,
    S.SECOND_REVIEW: 7,
    S.REJECTED: 3,
    S.AWAITING_PAYMENT: 10,
    S.PAYING: 5,
    S.PAID: 29,
    S.PAYMENT_FAILED: 4,
}
# The moves (action, from, to) that brought an application to each state, after its submission.
_TO_SCHOOL = [("approve", S.SCHOOL_REVIEW, S.PUBLICITY), ("end_publicity", S.PUBLICITY, S.FIRST_REVIEW)]
_TO_BUREAU = [*_TO_SCHOOL, ("approve", S.FIRST_REVIEW, S.SECOND_REVIEW)]
_TO_PAYMENT = [*_TO_BUREAU, ("approve", S.SECOND_REVIEW, S.AWAITING_PAYMENT)]
_PAYING = [*_TO_PAYMENT, ("batch_approved", S.AWAITING_PAYMENT, S.PAYING)]
HISTORY = {
    S.SCHOOL_REVIEW: [],
    S.RETURNED: [("return", S.SCHOOL_REVIEW, S.RETURNED)],
    S.REFUSED: [("refuse", S.SCHOOL_REVIEW, S.REFUSED)],
    S.WITHDRAWN: [("withdraw", S.SCHOOL_REVIEW, S.WITHDRAWN)],
    S.PUBLICITY: [("approve", S.SCHOOL_REVIEW, S.PUBLICITY)],
    S.FIRST_REVIEW: _TO_SCHOOL,
    S.SECOND_REVIEW: _TO_BUREAU,
    S.REJECTED: [*_TO_SCHOOL, ("reject", S.FIRST_REVIEW, S.REJECTED)],
    S.AWAITING_PAYMENT: _TO_PAYMENT,
    S.PAYING: _PAYING,
    S.PAID: [*_PAYING, ("bank_paid", S.PAYING, S.PAID)],
    S.PAYMENT_FAILED: [*_PAYING, ("bank_failed", S.PAYING, S.PAYMENT_FAILED)],
}
ITEM_STATUS = {S.PAYING: "pending", S.PAID: "paid", S.PAYMENT_FAILED: "failed"}


@dataclass
class Made:
    applications: int = 0
    events: int = 0
    items: int = 0
    batch_ids: list[int] = field(default_factory=list)


def make_cases(
    count: int,
    *,
    year,
    schools,
    applicant,
    bureau=None,
    makers=None,
    seed: int = 9,
    prefix: str = "gen",
    batch_size: int = 5000,
) -> Made:
    """`count` submitted applications of `year` spread over `schools`. With a bureau and two of
    its payment officers (`makers`), those that reached 发放 get payment lines in batches of
    `batch_size`; without, the payment states are left out of the mix."""
    chance = random.Random(seed)
    weights = {s: w for s, w in STATE_WEIGHTS.items() if makers or s not in ITEM_STATUS}
    states, state_weights = list(weights), list(weights.values())
    codes = list(HardshipCategory.objects.filter(graduation_year=year).values_list("code", flat=True))
    indexes = {code: category_index(code) for code in codes}
    window = ApplicationWindow.objects.get(graduation_year=year, kind=WindowKind.MAIN)
    window_days = (window.closes_on - window.opens_on).days + 1
    now = timezone.now()
    made, batch, in_batch = Made(), None, 0
    for start in range(0, count, CHUNK):
        rows = []
        for i in range(start, min(start + CHUNK, count)):
            state = chance.choices(states, state_weights)[0]
            day = window.opens_on + timedelta(days=chance.randrange(window_days))
            minute = timedelta(minutes=chance.randrange(720))  # 8:00 to 20:00
            submitted = datetime.combine(day, time(8), tzinfo=SHANGHAI) + minute
            code = chance.choice(codes)
            rows.append(
                Application(
                    applicant=applicant,
                    record_number=f"{prefix[:4]}{i:012d}",
                    state=state,
                    graduation_year=year,
                    window=window,
                    category_code=code,
                    category_index=indexes[code],
                    name="张晓明",
                    id_number="320102200403150038",
                    id_number_index=f"{prefix}-{i}",
                    school=chance.choice(schools),
                    student_number=f"S{i:07d}",
                    submitted_at=submitted,
                    state_changed_at=now - timedelta(hours=chance.randrange(24 * 30)),
                )
            )
        created = Application.objects.bulk_create(rows, batch_size=CHUNK)
        made.applications += len(created)
        events = []
        for application in created:
            moves = [("submit", S.DRAFT, S.SCHOOL_REVIEW), *HISTORY[application.state]]
            events += [
                TimelineEvent(application=application, action=action, from_state=before, to_state=after)
                for action, before, after in moves
            ]
        TimelineEvent.objects.bulk_create(events, batch_size=CHUNK)
        made.events += len(events)
        items = []
        for application in created:
            if application.state not in ITEM_STATUS:
                continue
            if batch is None or in_batch >= batch_size:
                batch, in_batch = _batch(year, bureau, makers, now), 0
                made.batch_ids.append(batch.pk)
            in_batch += 1
            items.append(
                PaymentItem(
                    batch=batch,
                    application=application,
                    record_number=application.record_number,
                    amount_fen=AMOUNT_FEN,
                    bank_id="102",
                    account="6212260000000000001",
                    account_index=f"{prefix}-account-{application.pk}",
                    account_name="张晓明",
                    status=ITEM_STATUS[application.state],
                    settled_at=None if application.state == S.PAYING else now,
                    bank_reason="账户未开通金融功能" if application.state == S.PAYMENT_FAILED else "",
                )
            )
        PaymentItem.objects.bulk_create(items, batch_size=CHUNK)
        made.items += len(items)
    _batch_totals(made.batch_ids)
    return made


def _batch(year, bureau, makers, now) -> PaymentBatch:
    maker, checker = makers
    return PaymentBatch.objects.create(
        bureau=bureau,
        graduation_year=year,
        status=PaymentBatch.Status.APPROVED,
        created_by=maker,
        approved_by=checker,
        approved_at=now,
    )


def _batch_totals(batch_ids) -> None:
    """Each batch's own count and total, as batch_build stores them."""
    lines = PaymentItem.objects.filter(batch=OuterRef("pk")).order_by().values("batch")
    PaymentBatch.objects.filter(pk__in=batch_ids).update(
        item_count=Subquery(lines.annotate(n=Count("pk")).values("n")),
        total_fen=Subquery(lines.annotate(fen=Sum("amount_fen")).values("fen")),
    )
