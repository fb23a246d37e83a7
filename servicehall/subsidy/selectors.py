"""Reads of the subsidy scoped to who is asking."""

import json

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone

from servicehall.core.crypto import blind_index
from servicehall.core.versions import kept_locally
from servicehall.reference.models import Bank, EducationLevel, EthnicGroup, Region
from servicehall.reference.selectors import reference_row

from .constants import CLAIM_RELEASED, CONCLUDED, ApplicationStatus
from .models import (
    Application,
    ApplicationWindow,
    GraduationYear,
    HardshipCategory,
    Material,
    ObjectionState,
    RequiredMaterial,
)


def category_index(code: str) -> str:
    return blind_index(code, purpose="hardship_category")


# The version (core.versions) of each year's set-up: its windows, categories and their required
# materials, raised by any save or delete of them (apps.py). Every applicant page asks which
# window is open and the form lists the categories: read once per version per process.
SETUP_VERSION = "subsidy-setup"


def _windows() -> list[ApplicationWindow]:
    return kept_locally(SETUP_VERSION, ("windows",), lambda: list(
        ApplicationWindow.objects.select_related("graduation_year").order_by("closes_on", "pk")
    ))


def window_open(day=None) -> ApplicationWindow | None:
    """The open window that closes first on `day` (today), if any."""
    day = day or timezone.localdate()
    return next((w for w in _windows() if w.opens_on <= day <= w.closes_on), None)


def window_next(day=None) -> ApplicationWindow | None:
    day = day or timezone.localdate()
    coming = [w for w in _windows() if w.opens_on > day]
    return min(coming, key=lambda w: (w.opens_on, w.pk)) if coming else None


def application_active_for(user) -> Application | None:
    """The person's one claim that still counts (a draft included), if any."""
    if not user.id_number_index:
        return None
    return (
        Application.objects.filter(id_number_index=user.id_number_index)
        .exclude(state__in=CLAIM_RELEASED)
        .first()
    )


def application_claim_and_withdrawn_for(user) -> tuple[Application | None, Application | None]:
    """The person's claim that still counts (application_active_for), and the last application
    of their own account they withdrew, in one statement: what 申报 reads on every view. A claim
    is one per person at a time, so the newest withdrawn application is the one withdrawn last."""
    if not user.id_number_index:
        return None, None
    withdrawn = Q(state=ApplicationStatus.WITHDRAWN, applicant=user)
    is_withdrawn = Case(When(withdrawn, then=Value(1)), default=Value(0), output_field=IntegerField())
    rows = list(
        Application.objects.filter(id_number_index=user.id_number_index)
        .filter(~Q(state__in=CLAIM_RELEASED) | withdrawn)
        .annotate(is_withdrawn=is_withdrawn)
        .order_by("is_withdrawn", "-pk")[:2]
    )
    claim = next((row for row in rows if not row.is_withdrawn), None)
    return claim, next((row for row in rows if row.is_withdrawn), None)


def claimed_id_indexes(indexes) -> set[str]:
    """Those of these ID numbers' indexes with a submitted claim that still counts (in progress
    or paid): one claim per person for life."""
    return set(
        Application.objects.filter(id_number_index__in=list(indexes))
        .exclude(state__in=CLAIM_RELEASED | {ApplicationStatus.DRAFT})
        .values_list("id_number_index", flat=True)
    )


def application_list_for(user):
    """Every application of this person's (by account), newest first; drafts included."""
    return Application.objects.filter(applicant=user).select_related("graduation_year", "school")


# What a list of the person's cases shows (办理中, 已办结, the app's 我的办件): nothing encrypted
# is read, decrypted or compiled into the statement.
CASE_LIST_FIELDS = ("pk", "record_number", "state", "submitted_at", "created_at")


def _listed(user, *, concluded: bool):
    """The person's applications, drafts included, concluded or not, with the fields listed."""
    mine = Application.objects.filter(applicant=user).only(*CASE_LIST_FIELDS)
    return mine.filter(state__in=CONCLUDED) if concluded else mine.exclude(state__in=CONCLUDED)


def case_list_for(user, *, concluded: bool):
    """The person's cases (drafts are not cases), 已办结 or 办理中."""
    return _listed(user, concluded=concluded).exclude(state=ApplicationStatus.DRAFT)


def in_progress_for(user) -> tuple[list[Application], bool]:
    """办理中 in one statement: the cases under way (case_list_for), and whether a draft waits
    to be finished (继续填写)."""
    rows = list(_listed(user, concluded=False))
    draft = ApplicationStatus.DRAFT
    return [row for row in rows if row.state != draft], any(row.state == draft for row in rows)


# 个人中心's two tabs of cases, by the name of their page (portal:in_progress, portal:concluded).
IN_PROGRESS_TAB = "in_progress"
CONCLUDED_TAB = "concluded"


def case_tab_for(user) -> str:
    """Which of 个人中心's tabs 我的办件 opens: 办理中 when it shows anything (a case under way,
    or a draft to finish), else 已办结 when that holds a case, else 办理中. One statement, reading
    only the states."""
    states = set(Application.objects.filter(applicant=user).values_list("state", flat=True).distinct())
    if states - CONCLUDED or not states:
        return IN_PROGRESS_TAB
    return CONCLUDED_TAB


def application_get_for(user, pk) -> Application:
    """The only way to fetch one application for its owner; anyone else gets DoesNotExist."""
    return with_reference_rows(application_list_for(user).get(pk=pk))


# The reference rows an application names, each taken from the kept copy of its table.
_REFERENCE_FIELDS = {
    "ethnic_group": EthnicGroup,
    "education_level": EducationLevel,
    "hukou_region": Region,
    "residence_region": Region,
    "bank": Bank,
}


def with_reference_rows(application: Application) -> Application:
    """`application` with its ethnic group, education level, regions and bank set from the kept
    copies of those tables (reference.selectors.reference_row): neither a query each when a page
    or the API names them, nor a join PostgreSQL must plan on every view."""
    for field, model in _REFERENCE_FIELDS.items():
        code = getattr(application, f"{field}_id")
        row = reference_row(model, code) if code else None
        if row is not None:
            setattr(application, field, row)
    return application


def categories_for(graduation_year) -> list[HardshipCategory]:
    """The year's categories in force with their required materials, read once per version."""
    year = getattr(graduation_year, "pk", graduation_year)
    return kept_locally(SETUP_VERSION, ("categories", year), lambda: list(
        HardshipCategory.objects.filter(graduation_year=year, is_active=True).prefetch_related("materials")
    ))


def categories_every_year() -> dict[tuple[int, str], HardshipCategory]:
    """Every year's categories, in force or not, with their required materials, by (year, code):
    read once per version of the set-up (no query a page). Shared copies: read them, never change
    them."""
    return kept_locally(SETUP_VERSION, ("categories-every-year",), lambda: {
        (category.graduation_year_id, category.code): category
        for category in HardshipCategory.objects.order_by("-graduation_year_id", "order", "code")
        .prefetch_related("materials")
    })


def categories_by_year() -> list[tuple[int, list[str]]]:
    """(graduation year, the names of its categories in force), newest year first: what the
    guide shows, as the policy's list changes from year to year. No query once kept."""
    years: dict[int, list[str]] = {}
    for (year, _code), category in categories_every_year().items():
        if category.is_active:
            years.setdefault(year, []).append(category.name)
    return sorted(years.items(), reverse=True)


def category_of(application) -> HardshipCategory | None:
    if not application.category_code or application.graduation_year_id is None:
        return None
    return categories_every_year().get((application.graduation_year_id, application.category_code))


def graduation_years() -> dict[int, GraduationYear]:
    """Every graduation year (its time limits), by year: read once per version of the set-up."""
    return kept_locally(SETUP_VERSION, ("graduation-years",), GraduationYear.objects.in_bulk)


def materials_map(application) -> dict[str, list[str]]:
    return json.loads(application.materials_json) if application.materials_json else {}


def attached_materials(application) -> dict[int, list[Material]]:
    """{required material id: [Material, ...]} for the application's owner only."""
    wanted = materials_map(application)
    ids = [m for ids in wanted.values() for m in ids]
    found = {str(m.id): m for m in Material.objects.filter(owner_id=application.applicant_id, id__in=ids)}
    return {int(req): [found[m] for m in ids if m in found] for req, ids in wanted.items()}


def material_list_for(user):
    return Material.objects.filter(owner=user)


def material_ids_in_use(user) -> set[str]:
    """Ids of the person's materials that one of their applications uses (cannot be deleted)."""
    used: set[str] = set()
    for application in Application.objects.filter(applicant=user).only("pk", "materials_json"):
        for ids in materials_map(application).values():
            used.update(ids)
    return used


def material_get_for(user, pk) -> Material:
    return material_list_for(user).get(pk=pk)


def application_ids_by_record_number(record_number: str) -> list[int]:
    """For the audit trail's search by case number (registered in apps.py)."""
    return list(Application.objects.filter(record_number=record_number).values_list("pk", flat=True))


def record_numbers_by_id(ids) -> dict[int, str]:
    """For the audit trail's list: application pk -> record number (registered in apps.py)."""
    return dict(Application.objects.filter(pk__in=list(ids)).values_list("pk", "record_number"))


def materials_unattached_for(user, application) -> list[Material]:
    """我的材料 offered on the form: the person's files not yet attached to this application."""
    attached = [m for ids in materials_map(application).values() for m in ids]
    return material_list_for(user).exclude(id__in=attached)


def last_opinion(application):
    """The latest timeline event with an opinion (why a returned application came back)."""
    return application.timeline.exclude(opinion="").last()


def graduation_year_get(pk) -> GraduationYear | None:
    """A graduation year by its id (a filter's choice), or None."""
    return GraduationYear.objects.filter(pk=pk).first()


def material_listed_in(application, material_id) -> Material | None:
    """A file the application lists, and its applicant's own (the reviewer's viewer), or None."""
    listed = {m for ids in materials_map(application).values() for m in ids}
    if str(material_id) not in listed:
        return None
    return Material.objects.filter(pk=material_id, owner_id=application.applicant_id).first()


def requirement_names(requirement_ids) -> dict[int, str]:
    """Required document id -> its name (the reviewer's material groups)."""
    return dict(RequiredMaterial.objects.filter(pk__in=list(requirement_ids)).values_list("pk", "name"))


def objections_open_of(application):
    """The objections to this application still to be handled."""
    return application.objections.filter(state=ObjectionState.OPEN)
