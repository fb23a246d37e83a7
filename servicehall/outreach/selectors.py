"""Reads of 政策找人, each scoped to who asks: a school sees its own students, a bureau those of
the schools in its jurisdiction (the reviewers' rule, subsidy.review_selectors), an operator
the province; a person sees only the invitations made for their own ID number. Names, ID
numbers and mobiles leave here masked for officers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicehall.accounts.models import Organisation, Role
from servicehall.accounts.permissions import may
from servicehall.cards.selectors import card_payment_status
from servicehall.core.actions import Action
from servicehall.core.masking import mask_id_number, mask_mobile, mask_name
from servicehall.reference.models import School
from servicehall.subsidy.constants import ApplicationStatus
from servicehall.subsidy.review_selectors import bureau_school_scope
from servicehall.subsidy.selectors import categories_for
from servicehall.verification.rules import Sentence

from .models import Graduate, GraduateImport, Invitation, MatchRun, MatchState

COLUMNS = ("listed", "matched", "invited", "opened", "confirmed", "declined", "submitted", "paid")
COLUMN_LABELS = (
    _("名单人数"),
    _("符合条件"),
    _("已邀请"),
    _("已查看"),
    _("已确认"),
    _("不需要"),
    _("已提交"),
    _("已发放"),
)


def graduates_for(actor):
    """The listed graduates this officer may see."""
    organisation = getattr(actor, "organisation", None)
    if not may(actor, Action.FIND_GRADUATES):
        return Graduate.objects.none()
    if actor.role == Role.OPERATOR:
        return Graduate.objects.all()
    if organisation is None or not organisation.is_active:
        return Graduate.objects.none()
    if actor.role == Role.SCHOOL_REVIEWER and organisation.kind == Organisation.Kind.SCHOOL:
        return Graduate.objects.filter(school_id=organisation.school_id)
    if actor.role == Role.BUREAU_REVIEWER and organisation.kind == Organisation.Kind.BUREAU:
        return Graduate.objects.filter(bureau_school_scope(organisation))
    return Graduate.objects.none()


def scope_name(actor) -> str:
    organisation = getattr(actor, "organisation", None)
    return organisation.name if organisation is not None and actor.role != Role.OPERATOR else ""


def imports_for(actor, graduation_year):
    """A school's own imports (reports included); nobody else's."""
    organisation = getattr(actor, "organisation", None)
    if actor.role != Role.SCHOOL_REVIEWER or organisation is None or not may(actor, Action.FIND_GRADUATES):
        return GraduateImport.objects.none()
    return GraduateImport.objects.filter(school_id=organisation.school_id, graduation_year=graduation_year)


def import_get_for(actor, pk) -> GraduateImport:
    """Raises GraduateImport.DoesNotExist outside the officer's school."""
    organisation = getattr(actor, "organisation", None)
    if actor.role != Role.SCHOOL_REVIEWER or organisation is None or not may(actor, Action.FIND_GRADUATES):
        raise GraduateImport.DoesNotExist
    return GraduateImport.objects.select_related("graduation_year").get(
        pk=pk, school_id=organisation.school_id
    )


@dataclass
class Row:
    label: str
    counts: dict = field(default_factory=dict)

    def of(self, key) -> int:
        return self.counts.get(key, 0)

    @property
    def cells(self) -> list[tuple[str, int]]:
        """(column label, figure) in COLUMNS' order: the label also names the cell on a phone."""
        pairs = zip(COLUMNS, COLUMN_LABELS, strict=True)
        return [(label, self.counts.get(column, 0)) for column, label in pairs]


@dataclass
class Figures:
    by_school: list[Row]
    by_category: list[Row]
    total: Row


def _invitation_counts(invitations, group: str) -> dict:
    rows = (
        invitations.values(group)
        .annotate(
            invited=Count("pk"),
            opened=Count("pk", filter=Q(opened_at__isnull=False)),
            confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)),
            declined=Count("pk", filter=Q(declined_at__isnull=False)),
            submitted=Count("pk", filter=Q(application__submitted_at__isnull=False)),
            paid=Count("pk", filter=Q(application__state=ApplicationStatus.PAID)),
        )
        .order_by()
    )
    return {row.pop(group): row for row in rows}


def figures_for(actor, graduation_year) -> Figures:
    """listed, matched, invited, opened, confirmed, declined, submitted, paid: per school and per
    category, and in all, for the officer's scope and one graduation year."""
    graduates = graduates_for(actor).filter(graduation_year=graduation_year)
    invitations = Invitation.objects.filter(graduate__in=graduates.values("pk"))
    listed = {
        row["school_id"]: row
        for row in graduates.values("school_id")
        .annotate(listed=Count("pk"), matched=Count("pk", filter=Q(match=MatchState.MATCHED)))
        .order_by()
    }
    invited = _invitation_counts(invitations, "graduate__school_id")
    names = dict(School.objects.filter(pk__in=list(listed)).values_list("pk", "name"))
    by_school = [Row(names.get(pk, ""), {**listed[pk], **invited.get(pk, {})}) for pk in listed]
    by_school.sort(key=lambda row: row.label)
    matched = dict(
        graduates.filter(match=MatchState.MATCHED)
        .values("category_code")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("category_code", "n")
    )
    invited_by_category = _invitation_counts(invitations, "category_code")
    by_category = [
        Row(
            category.name,
            {"matched": matched.get(category.code, 0), **invited_by_category.get(category.code, {})},
        )
        for category in categories_for(graduation_year)
    ]
    total = Row("", {column: sum(row.of(column) for row in by_school) for column in COLUMNS})
    return Figures(by_school, by_category, total)


@dataclass(frozen=True)
class NotReached:
    """A matched graduate nobody has reached yet, as an officer may see them: masked."""

    school: str
    student_number: str
    name: str
    id_number: str
    mobile: str
    department: str
    major: str
    category: str
    invited_at: object


def not_reached_for(actor, graduation_year):
    """Matched graduates whose invitation nobody opened (or who have none yet), not declined."""
    reached = Invitation.objects.filter(Q(opened_at__isnull=False) | Q(declined_at__isnull=False))
    return (
        graduates_for(actor)
        .filter(graduation_year=graduation_year, match=MatchState.MATCHED)
        .exclude(pk__in=reached.values("graduate_id"))
        .annotate(invited_at=Max("invitations__created_at"))
        .select_related("school")
        .order_by("school__name", "student_number", "pk")
    )


def not_reached_rows(graduates, graduation_year) -> list[NotReached]:
    names = {category.code: category.name for category in categories_for(graduation_year)}
    return [
        NotReached(
            g.school.name,
            g.student_number,
            mask_name(g.name),
            mask_id_number(g.id_number),
            mask_mobile(g.mobile) if g.mobile else "",
            g.department,
            g.major,
            names.get(g.category_code, g.category_code),
            g.invited_at,
        )
        for g in graduates
    ]


def last_run_for(actor, graduation_year) -> MatchRun | None:
    """The latest matching run over lists this officer sees (a school: its own or all lists)."""
    runs = MatchRun.objects.filter(graduation_year=graduation_year)
    if actor.role == Role.SCHOOL_REVIEWER:
        runs = runs.filter(Q(school_id=actor.organisation.school_id) | Q(school__isnull=True))
    elif actor.role != Role.OPERATOR:
        runs = runs.filter(school__isnull=True)
    return runs.first()


# --- The person -------------------------------------------------------------------------------


def invitations_of(user):
    """The invitations made for this person's ID number, whoever opened the link."""
    if not getattr(user, "is_person", False) or not user.id_number_index:
        return Invitation.objects.none()
    return Invitation.objects.filter(id_number_index=user.id_number_index).select_related(
        "window", "application"
    )


def invitation_get_for(user, pk) -> Invitation:
    """Raises Invitation.DoesNotExist for anyone but the person it was made for."""
    return invitations_of(user).select_related("graduate__school").get(pk=pk)


WAITING = "waiting_invitation_loaded"


def _waiting():
    return Invitation.objects.filter(
        expires_at__gt=Now(), confirmed_at__isnull=True, declined_at__isnull=True
    )


def with_waiting_invitation(users):
    """`users`, each with the id of their waiting invitation (or None) read in the same statement:
    the signed-in person is loaded this way (accounts.backends), so 个人中心 asks nothing more."""
    waiting = _waiting().filter(id_number_index=OuterRef("id_number_index")).order_by("-created_at", "-id")
    return users.annotate(**{WAITING: Subquery(waiting.values("pk")[:1])})


def invitation_waiting_for(user) -> int | None:
    """The id of the invitation 个人中心 shows: live, neither confirmed nor declined."""
    if not getattr(user, "is_person", False) or not user.id_number_index:
        return None
    if hasattr(user, WAITING):
        return getattr(user, WAITING)
    waiting = _waiting().filter(id_number_index=user.id_number_index).order_by("-created_at", "-id")
    return waiting.values_list("pk", flat=True).first()


def invitation_reason(invitation) -> str:
    """The finding's sentence in the active language: 民政城乡低保名单（2026-09-01 导入）中查到本人…"""
    return str(Sentence.from_json(json.loads(invitation.reason))) if invitation.reason else ""


def invitation_live(invitation) -> bool:
    return invitation.expires_at > timezone.now()


def category_name(invitation) -> str:
    names = {
        category.code: category.name for category in categories_for(invitation.window.graduation_year_id)
    }
    return names.get(invitation.category_code, invitation.category_code)


INVITATION_STATES = ("waiting", "confirmed", "declined", "expired")


@dataclass(frozen=True)
class InvitationView:
    """An invitation as its person sees it, on the page and in the app alike."""

    pk: int
    category: str
    reason: str
    school: str
    closes_on: object
    state: str  # one of INVITATION_STATES
    card_ok: bool  # whether the subsidy can be paid to the person's card now
    card_problem: str  # cards.selectors' code when not
    application_id: int | None
    declined_at: object


def invitation_view(invitation, user) -> InvitationView:
    """`user` is the invitation's person (invitation_get_for found it)."""
    card = card_payment_status(user)
    if invitation.confirmed_at is not None:
        state = "confirmed"
    elif invitation.declined_at is not None:
        state = "declined"
    else:
        state = "waiting" if invitation_live(invitation) else "expired"
    return InvitationView(
        invitation.pk, category_name(invitation), invitation_reason(invitation),
        invitation.graduate.school.name,
        invitation.window.closes_on, state, card.ok, card.problem or "", invitation.application_id,
        invitation.declined_at,
    )
