"""The dashboard's numbers, each panel one aggregate query over the actor's scope (selectors.py):
the number of queries does not grow with the number of applications. The page, its charts and
the Excel export all read the same `Dashboard`, so they cannot disagree."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Case, Count, F, Q, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from servicehall.core.money import money
from servicehall.payments.figures import figure_sums
from servicehall.payments.models import PaymentBatch, PaymentItem
from servicehall.reference.models import Region
from servicehall.reference.workdays import SHANGHAI
from servicehall.subsidy.constants import CONCLUDED, ApplicationStatus
from servicehall.subsidy.deadlines import STEP_DAYS, overdue_since
from servicehall.subsidy.models import ApplicationWindow, HardshipCategory
from servicehall.subsidy.selectors import category_index

from .selectors import CheckShare, Ratings, check_share, ratings

S = ApplicationStatus
STATES = [state for state in S if state != S.DRAFT]
# The review steps with a time limit, and the graduation year's field that holds it.
STEPS = list(STEP_DAYS.items())
STEP_NAMES = {
    S.SCHOOL_REVIEW: _lazy("学校审核"),
    S.AWAITING_PUBLICITY: _lazy("学校发布公示"),
    S.FIRST_REVIEW: _lazy("人社初审"),
    S.SECOND_REVIEW: _lazy("人社复审"),
}
ONE_DAY = timedelta(days=1)
STOPPING_ACTIONS = ("refuse", "reject")  # 不予受理 at the school, 不通过 at the bureau


@dataclass(frozen=True)
class Row:
    label: str
    value: int
    key: str = ""  # the state's code in by_state


@dataclass(frozen=True)
class DaySeries:
    """Submissions per day across one window, every day of it present (zeros included)."""

    label: str
    days: list[tuple[date, int]]
    # Submitted on a day outside the window: only when an operator moved the window's dates later.
    outside: int = 0

    @property
    def total(self) -> int:
        return sum(count for _day, count in self.days) + self.outside

    @property
    def busiest(self) -> tuple[date, int] | None:
        return max(self.days, key=lambda day: day[1]) if self.total else None


@dataclass(frozen=True)
class Step:
    label: str
    limit_days: int
    waiting: int
    overdue: int
    approved: int
    returned: int
    stopped: int

    @property
    def handled(self) -> int:
        return self.approved + self.returned + self.stopped


@dataclass(frozen=True)
class BatchTotals:
    number: str
    bureau: str
    status: str
    items: int
    total_fen: int
    paid_count: int
    paid_fen: int
    failed_count: int
    failed_fen: int
    pending_count: int
    pending_fen: int
    persons: int
    due_fen: int
    reissues: int

    # For people to read: "1,500.00 元".
    total = property(lambda self: money(self.total_fen))
    paid = property(lambda self: money(self.paid_fen))
    failed = property(lambda self: money(self.failed_fen))
    pending = property(lambda self: money(self.pending_fen))


@dataclass
class Dashboard:
    by_state: list[Row] = field(default_factory=list)
    by_city: list[Row] = field(default_factory=list)
    by_school: list[Row] = field(default_factory=list)
    by_category: list[Row] = field(default_factory=list)
    per_day: list[DaySeries] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    batches: list[BatchTotals] = field(default_factory=list)
    checks: CheckShare | None = None
    ratings: Ratings | None = None

    @property
    def total(self) -> int:
        return sum(row.value for row in self.by_state)

    @property
    def concluded(self) -> int:
        return sum(row.value for row in self.by_state if row.key in CONCLUDED)

    @property
    def in_progress(self) -> int:
        return self.total - self.concluded

    @property
    def overdue(self) -> int:
        return sum(step.overdue for step in self.steps)

    @property
    def paid_count(self) -> int:
        return sum(batch.paid_count for batch in self.batches)

    @property
    def paid_fen(self) -> int:
        return sum(batch.paid_fen for batch in self.batches)


def dashboard(applications, *, year, today: date | None = None) -> Dashboard:
    """Every panel for these applications (already scoped and filtered) of one graduation year."""
    today = today or timezone.localdate()
    return Dashboard(
        by_state=by_state(applications),
        by_city=by_city(applications),
        by_school=by_school(applications),
        by_category=by_category(applications, year),
        per_day=per_day(applications, year),
        steps=steps(applications, year, today),
        batches=batches(applications),
        checks=check_share(applications),
        ratings=ratings(applications),
    )


def _counted(applications, *keys, **expressions):
    return applications.values(*keys, **expressions).annotate(n=Count("pk")).order_by()


def by_state(applications) -> list[Row]:
    counts = {row["state"]: row["n"] for row in _counted(applications, "state")}
    return [Row(str(state.label), counts.get(state, 0), key=state) for state in STATES]


def _descending(rows: list[Row]) -> list[Row]:
    return sorted(rows, key=lambda row: (-row.value, row.label))


def by_city(applications) -> list[Row]:
    """By the city of the school: a school's region is its city or one of the city's counties."""
    in_city = Q(school__region__level=Region.Level.PREFECTURE)
    rows = _counted(
        applications,
        city=Case(When(in_city, then=F("school__region__name")), default=F("school__region__parent__name")),
    )
    return _descending([Row(row["city"] or _("未填写学校"), row["n"]) for row in rows])


def by_school(applications) -> list[Row]:
    rows = _counted(applications, "school_id", "school__name")
    return _descending([Row(row["school__name"] or _("未填写学校"), row["n"]) for row in rows])


def by_category(applications, year) -> list[Row]:
    """毕业生类型 is encrypted on the row: grouped by its blind index and named from the year's
    categories, so nothing is decrypted. Categories nobody chose are listed with 0."""
    categories = HardshipCategory.objects.filter(graduation_year=year).order_by("order", "code")
    names = {category_index(code): name for code, name in categories.values_list("code", "name")}
    counts = {row["category_index"]: row["n"] for row in _counted(applications, "category_index")}
    rows = [Row(name, counts.pop(index, 0)) for index, name in names.items()]
    unknown = sum(counts.values())
    if unknown:
        rows.append(Row(_("其他（该年度未设置的类型）"), unknown))
    return rows


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=SHANGHAI)


def per_day(applications, year) -> list[DaySeries]:
    """First submissions per calendar day (Beijing time) of each of the year's windows, in one
    query: a filtered count per day compares the stored moments with that day's bounds, which
    uses the index and needs no time-zone conversion per row (SQLite converts in Python)."""
    windows = list(ApplicationWindow.objects.filter(graduation_year=year).order_by("opens_on"))
    if not windows:
        return []
    days_of = {
        window.pk: [
            window.opens_on + timedelta(days=i) for i in range((window.closes_on - window.opens_on).days + 1)
        ]
        for window in windows
    }
    counts = {}
    for window in windows:
        days = days_of[window.pk]
        for i, day in enumerate(days):
            moments = Q(
                submitted_at__gte=_local_midnight(day), submitted_at__lt=_local_midnight(day + ONE_DAY)
            )
            counts[f"w{window.pk}_{i}"] = Count("pk", filter=Q(window_id=window.pk) & moments)
        span = Q(
            submitted_at__gte=_local_midnight(days[0]), submitted_at__lt=_local_midnight(days[-1] + ONE_DAY)
        )
        counts[f"w{window.pk}_outside"] = Count("pk", filter=Q(window_id=window.pk) & ~span)
    found = applications.filter(submitted_at__isnull=False).aggregate(**counts)
    return [
        DaySeries(
            f"{window.get_kind_display()}（{window.opens_on:%Y-%m-%d}—{window.closes_on:%Y-%m-%d}）",
            [(day, found[f"w{window.pk}_{i}"]) for i, day in enumerate(days_of[window.pk])],
            outside=found[f"w{window.pk}_outside"],
        )
        for window in windows
    ]


def steps(applications, year, today: date) -> list[Step]:
    """Per review step: waiting now, of which overdue, and the decisions taken at that step."""
    waiting = {}
    for state, days_field in STEPS:
        waiting[f"{state}_waiting"] = Count("pk", filter=Q(state=state))
        since = overdue_since(today, getattr(year, days_field))
        if since is not None:
            waiting[f"{state}_overdue"] = Count("pk", filter=Q(state=state, state_changed_at__lt=since))
    now = applications.aggregate(**waiting)
    # Counted from the applications' side (a join on the timeline's indexed foreign key), not as
    # "events whose application is in (subquery)": PostgreSQL planned that as a nested loop of
    # every event against every application when its statistics were stale after a bulk load.
    actions = ["approve", "publish", "return", *STOPPING_ACTIONS]
    done = applications.aggregate(
        **{
            f"{state}_{action}": Count(
                "timeline", filter=Q(timeline__from_state=state, timeline__action=action)
            )
            for state, _field in STEPS
            for action in actions
        }
    )
    return [
        Step(
            label=str(STEP_NAMES[state]),
            limit_days=getattr(year, days_field),
            waiting=now[f"{state}_waiting"],
            overdue=now.get(f"{state}_overdue", 0),
            approved=done[f"{state}_approve"] + done[f"{state}_publish"],
            returned=done[f"{state}_return"],
            stopped=sum(done[f"{state}_{action}"] for action in STOPPING_ACTIONS),
        )
        for state, days_field in STEPS
    ]


def batches(applications) -> list[BatchTotals]:
    """Per payment batch, the lines of these applications only (a batch may pay other schools'
    students too: those lines are not this page's to count)."""
    sums = figure_sums()
    rows = (
        PaymentItem.objects.filter(application__in=applications.values("pk"))
        .values("batch_id", "batch__created_at", "batch__bureau__name", "batch__status")
        .annotate(**sums)
        .order_by("-batch__created_at", "-batch_id")
    )
    statuses = dict(PaymentBatch.Status.choices)
    return [
        BatchTotals(
            number=PaymentBatch(pk=row["batch_id"], created_at=row["batch__created_at"]).number,
            bureau=row["batch__bureau__name"],
            status=str(statuses.get(row["batch__status"], row["batch__status"])),
            **{key: row[key] for key in sums},
        )
        for row in rows
    ]
