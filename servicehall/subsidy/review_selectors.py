"""Which applications a reviewer may see: a school its own students', a bureau those of the
schools in its jurisdiction. Every reviewer page, export and material goes through here."""

from django.db.models import Q

from servicehall.accounts.models import Organisation, Role
from servicehall.reference.models import Region, School

from .constants import ApplicationStatus
from .models import Application
from .selectors import with_reference_rows
from .transitions import city_states_version, school_states_version

S = ApplicationStatus


def bureau_school_scope(organisation) -> Q:
    """A school belongs to the bureau it is assigned to; otherwise to the bureau of its city."""
    # Subqueries, not joins: the rows stay unique, so they can be locked (FOR UPDATE).
    assigned = Q(school__in=organisation.assigned_schools.all())
    region = organisation.region
    if region is None or region.level != Region.Level.PREFECTURE:
        return assigned
    in_city = Q(school__region=region) | Q(school__region__parent=region)
    assigned_elsewhere = School.objects.filter(assigned_bureaus__isnull=False)
    return assigned | (in_city & ~Q(school__in=assigned_elsewhere))


def bureau_scope_versions(organisation) -> list[str]:
    """The versions of the applications' states that a bureau's scope (bureau_school_scope)
    follows: its city's, and each school's assigned to it. A move at a school of its city that
    another bureau reviews raises them too, which only counts once more."""
    names = [school_states_version(pk) for pk in organisation.assigned_schools.values_list("pk", flat=True)]
    region = organisation.region
    if region is not None and region.level == Region.Level.PREFECTURE:
        names.append(city_states_version(region.code))
    return sorted(names)


def application_list_for_reviewer(actor):
    organisation = getattr(actor, "organisation", None)
    base = Application.objects.exclude(state=S.DRAFT).select_related("school", "graduation_year")
    if organisation is None or not organisation.is_active or not actor.is_active:
        return base.none()
    if actor.role == Role.SCHOOL_REVIEWER and organisation.kind == Organisation.Kind.SCHOOL:
        return base.filter(school_id=organisation.school_id)
    if actor.role == Role.BUREAU_REVIEWER and organisation.kind == Organisation.Kind.BUREAU:
        return base.filter(bureau_school_scope(organisation))
    return base.none()


def application_get_for_reviewer(actor, pk) -> Application:
    """Raises Application.DoesNotExist for anything outside the reviewer's scope. The reference
    rows the case page names (ethnic group, education level, regions, bank) come from the kept
    copies of those tables (reference.selectors.reference_row), neither a query each nor a join
    PostgreSQL must plan on every view."""
    return with_reference_rows(application_list_for_reviewer(actor).select_related("applicant").get(pk=pk))
