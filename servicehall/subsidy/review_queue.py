"""The reviewers' queue: its tabs, what each holds, the filters and the search, the order, and
the names shown per row. The page (review_views), its export and the statistics read these; a
tab's condition is written once here."""

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy

from servicehall.accounts.identity import normalise
from servicehall.accounts.models import Role
from servicehall.accounts.selectors import id_number_index
from servicehall.core.versions import kept_shared

from . import selectors
from .check_selectors import filter_by_check
from .constants import ApplicationStatus
from .deadlines import overdue_in
from .models import ObjectionState, TimelineEvent
from .review_forms import ID_NUMBER
from .review_selectors import application_list_for_reviewer, bureau_scope_versions
from .transitions import STATES_VERSION, school_states_version

S = ApplicationStatus


def is_school(user) -> bool:
    return user.role == Role.SCHOOL_REVIEWER


# --- Tabs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    condition: Q
    batch: str = ""  # the batch decision the tab offers: "approve" (批量通过) or "publish" (发布公示)
    decision: str = ""  # the key of review.DECISIONS its 批量通过 takes


PAYMENT_STATES = [S.AWAITING_PAYMENT, S.PAYING, S.PAID, S.PAYMENT_FAILED]
# Returned by the bureau (at 初审 or 复审), not by the school before the bureau ever saw it.
RETURNED_BY_BUREAU = Exists(
    TimelineEvent.objects.filter(
        application=OuterRef("pk"), action="return", from_state__in=[S.FIRST_REVIEW, S.SECOND_REVIEW]
    )
)

SCHOOL_TABS = [
    Tab(
        "pending",
        gettext_lazy("待审核"),
        Q(state=S.SCHOOL_REVIEW),
        batch="approve",
        decision="approve_by_school",
    ),
    Tab("returned", gettext_lazy("已退回"), Q(state=S.RETURNED)),
    Tab("to_publish", gettext_lazy("待公示"), Q(state=S.AWAITING_PUBLICITY), batch="publish"),
    Tab("publicity", gettext_lazy("公示中"), Q(state=S.PUBLICITY)),
    Tab("passed", gettext_lazy("已通过"), Q(state__in=[S.FIRST_REVIEW, S.SECOND_REVIEW, *PAYMENT_STATES])),
    Tab("refused", gettext_lazy("不予受理"), Q(state=S.REFUSED)),
]
BUREAU_TABS = [
    Tab("first", gettext_lazy("初审"), Q(state=S.FIRST_REVIEW), batch="approve", decision="approve_first"),
    Tab("second", gettext_lazy("复审"), Q(state=S.SECOND_REVIEW), batch="approve", decision="approve_second"),
    Tab("passed", gettext_lazy("已通过"), Q(state__in=PAYMENT_STATES)),
    Tab("returned", gettext_lazy("已退回"), Q(state=S.RETURNED) & Q(RETURNED_BY_BUREAU)),
    Tab("rejected", gettext_lazy("不通过"), Q(state=S.REJECTED)),
]
# After a decision the reviewer goes back to the tab the application was waiting in.
TAB_OF_STATE = {S.SCHOOL_REVIEW: "pending", S.FIRST_REVIEW: "first", S.SECOND_REVIEW: "second"}


def tabs_for(user) -> list[Tab]:
    return SCHOOL_TABS if is_school(user) else BUREAU_TABS


def tab_of(tabs, key) -> Tab:
    return next((tab for tab in tabs if tab.key == key), tabs[0])


def batch_tab(user, decision: str) -> Tab | None:
    """The user's tab whose 批量通过 takes `decision` (None: no such batch for this reviewer)."""
    return next((tab for tab in tabs_for(user) if tab.batch == "approve" and tab.decision == decision), None)


# --- The queue's rows ------------------------------------------------------------------------

class CategoryNames:
    """毕业生类型 by (year, code): the category is encrypted on the row, so it is decrypted per row
    and named from the kept copy of every year's categories (selectors.categories_every_year)."""

    def __init__(self):
        self._categories = selectors.categories_every_year()

    def __call__(self, application) -> str:
        category = self._categories.get((application.graduation_year_id, application.category_code))
        return category.name if category else ""


def queue_filtered(user, filters: dict):
    applications = application_list_for_reviewer(user)
    if filters.get("category"):
        applications = applications.filter(category_index=selectors.category_index(filters["category"]))
    if filters.get("department"):
        applications = applications.filter(department__icontains=filters["department"])
    if filters.get("major"):
        applications = applications.filter(major__icontains=filters["major"])
    if filters.get("submitted_from"):
        applications = applications.filter(submitted_at__date__gte=filters["submitted_from"])
    if filters.get("submitted_to"):
        applications = applications.filter(submitted_at__date__lte=filters["submitted_to"])
    if filters.get("check"):
        applications = filter_by_check(applications, filters["check"])
    if filters.get("q"):
        typed = filters["q"].strip()
        value = normalise(typed)
        if ID_NUMBER.match(value):
            # The ID number is encrypted: it is found by its blind index, and only whole.
            applications = applications.filter(id_number_index=id_number_index(value))
        elif value.isdigit():
            applications = applications.filter(Q(record_number=value) | Q(name__icontains=typed))
        else:
            applications = applications.filter(name__icontains=typed)
    return applications


def newest_first(applications):
    return applications.order_by(F("state_changed_at").desc(nulls_last=True), "-pk")


def tab_rows(applications, tab):
    """One tab's applications in the queue's order: what its page lists, its export writes and
    its 批量通过 takes."""
    return newest_first(applications.filter(tab.condition))


# How long a queue's tab counts are kept at most: a move of state raises their version at once,
# this bounds what changes without one (a school assigned to another bureau).
COUNTS_SECONDS = 60


def tab_counts(applications, tabs, *, actor=None) -> dict[str, int]:
    """How many of `applications` each tab holds, in one query. Given the `actor` whose whole
    queue `applications` is (no filter), the counts are kept for every process under the version
    of the states of the actor's school's applications (a school's reviewer) or of its city's and
    its assigned schools' (a bureau's: review_selectors.bureau_scope_versions). Counting 100,000
    rows (33 to 61 ms, timed from Python) for each view of the queue is what made it slow in
    September (docs/architecture.md, "Serving under load")."""

    def count() -> dict[str, int]:
        return applications.aggregate(**{t.key: Count("pk", filter=t.condition) for t in tabs})

    if actor is None:
        return count()
    organisation = actor.organisation
    if is_school(actor):
        versions = [school_states_version(organisation.school_id)]
    else:
        versions = bureau_scope_versions(organisation) or [STATES_VERSION]
    scope = f"queue-counts:{actor.role}:{actor.organisation_id}"
    return kept_shared(versions, scope, count, seconds=COUNTS_SECONDS)


def tab_listing(applications, tab):
    """The rows of one tab for the page, newest first, as QueueRows (only what the page shows;
    the encrypted student number and category decrypted, nothing else)."""
    listed = tab_rows(applications, tab)
    return listed.annotate(publicity_closes_at=F("publicity__closes_at")).values_list(*QueueRow._fields)


class QueueRow(NamedTuple):
    """One application as a queue page lists it: values, not a model instance (fifty a page, and
    building each instance with its school, year and publicity was a third of the page's time)."""

    pk: int
    record_number: str
    name: str
    student_number: str
    department: str
    major: str
    category_code: str
    graduation_year_id: int | None
    submitted_at: datetime | None
    state: str
    state_changed_at: datetime | None
    publicity_closes_at: datetime | None


def queue_rows_of(values) -> list[QueueRow]:
    return [QueueRow(*row) for row in values]


# --- 批量通过: which applications a batch takes ---------------------------------------------------

BATCH_MAX = 1000  # applications one 批量通过 takes at most


@dataclass(frozen=True)
class Selection:
    """The applications of one tab a 批量通过 takes: those ticked (`ids`), or, with `filters` (the
    queue's own, QueueFilterForm.filters()), every one the listing shows under them, across its
    pages, in its order. Once a confirmation has counted them it also says: `as_of`, when it
    counted (an application that came into the tab since, a resubmitted one say, is one the
    reviewer has not seen: left out); `through`, the queue position (state_changed_at, pk) of the
    last of the BATCH_MAX it took when more matched (none after it); `counted`, how many it
    showed (what the result compares with)."""

    ids: tuple[int, ...] = ()
    filters: dict | None = None
    as_of: datetime | None = None
    through: tuple[datetime | None, int] | None = None
    counted: int | None = None

    @property
    def all_matching(self) -> bool:
        return self.filters is not None


def _up_to(through) -> Q:
    """The rows at or before `through` in newest_first's order (nulls last, then -pk)."""
    at, pk = through
    if at is None:
        return Q(state_changed_at__isnull=False) | Q(pk__gte=pk)
    return Q(state_changed_at__gt=at) | Q(state_changed_at=at, pk__gte=pk)


def batch_base(user, selection: Selection):
    """The reviewer's applications a selection names, in any state: the ticked ones, or those
    the queue's filters select (queue_filtered, the listing's own rule)."""
    if selection.all_matching:
        return queue_filtered(user, selection.filters)
    return application_list_for_reviewer(user).filter(pk__in=list(selection.ids))


def batch_rows(user, tab: Tab, selection: Selection):
    """The applications of `tab` a batch on `selection` takes, in the queue's order, not yet cut
    at BATCH_MAX: the first BATCH_MAX are the ones the listing shows on its first pages."""
    rows = tab_rows(batch_base(user, selection), tab)
    if selection.as_of is not None:
        rows = rows.filter(Q(state_changed_at__lte=selection.as_of) | Q(state_changed_at__isnull=True))
    if selection.through is not None:
        rows = rows.filter(_up_to(selection.through))
    return rows


class BatchRow(NamedTuple):
    """An application as a batch reads it: what the checks, the 复审 rule and the total need."""

    pk: int
    record_number: str
    state: str
    state_changed_at: datetime | None
    first_reviewer_id: int | None
    graduation_year_id: int | None
    amount_fen: int | None


BATCH_ROW_FIELDS = (*BatchRow._fields[:-1], "graduation_year__amount_fen")


def batch_taken_since(user, selection: Selection, *, action: str, from_states) -> int:
    """How many of the selection's applications the reviewer `user` has moved out of `from_states` by
    `action` since the confirmation counted them: a repeated submission of the same batch (a
    double click, the browser's back button) finds these done, and does not do them again."""
    if selection.as_of is None:
        return 0
    events = TimelineEvent.objects.filter(
        application__in=batch_base(user, selection).values("pk"),
        actor=user,
        action=action,
        from_state__in=list(from_states),
        at__gt=selection.as_of,
    )
    return events.values("application_id").distinct().count()


def tab_export(applications, tab):
    """The rows of one tab for the Excel export (every column but the account and materials)."""
    listed = tab_rows(applications, tab).select_related("publicity", "education_level")
    return listed.defer("account", "materials_json")


def publish_overdue_count(user) -> int:
    """Approved by the school and still on no published list past the time limit (已超期)."""
    return overdue_in(application_list_for_reviewer(user), S.AWAITING_PUBLICITY)


def open_objection_count(user) -> int:
    from .publicity import objection_list_for

    return objection_list_for(user).filter(state=ObjectionState.OPEN).count()
