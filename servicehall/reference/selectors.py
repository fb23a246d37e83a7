"""Reads of reference data. Every function that takes a code accepts any string: a code that
is not six ASCII digits matches nothing, without reaching the database (where, for example,
PostgreSQL refuses NUL characters)."""

import re

from django.db.models import Case, IntegerField, QuerySet, Value, When

from servicehall.core.versions import kept_locally

from .models import Bank, EducationLevel, EthnicGroup, Region, School

JIANGSU_CODE = "320000"
# The version (core.versions) raised by any change of schools, ethnic groups, education levels and
# regions (apps.py): the lists below and the form's option lists are kept under it.
REFERENCE_VERSION = "reference"
_CODE = re.compile(r"[0-9]{6}")


def is_region_code(value) -> bool:
    return isinstance(value, str) and _CODE.fullmatch(value) is not None


def province_list() -> QuerySet[Region]:
    return Region.objects.filter(level=Region.Level.PROVINCE)


def region_children(code: str) -> QuerySet[Region]:
    if not is_region_code(code):
        return Region.objects.none()
    return Region.objects.filter(parent_id=code)


def region_get(code: str) -> Region:
    """The region with this code, from the copy of the region table kept per version of the
    reference data (reference_row: no query); raises Region.DoesNotExist. The copy is shared:
    read it, never change it."""
    region = reference_row(Region, code) if is_region_code(code) else None
    if region is None:
        raise Region.DoesNotExist(f"no region with code {code!r}"[:80])
    return region


def region_path(code: str) -> list[Region]:
    """[province, prefecture, county], as deep as the region is: [北京市] for a municipality,
    [湖北省, 仙桃市] for a county-level unit directly under its province."""
    path = [region_get(code)]
    while path[0].parent_id:
        path.insert(0, region_get(path[0].parent_id))
    return path


def jiangsu_cities() -> QuerySet[Region]:
    """Jiangsu's 13 prefecture-level cities."""
    return Region.objects.filter(parent_id=JIANGSU_CODE, level=Region.Level.PREFECTURE)


def city_list() -> list[Region]:
    """Jiangsu's 13 cities, read once per version of the reference data: every page's header
    lists them."""
    return kept_locally(REFERENCE_VERSION, ("cities",), lambda: list(jiangsu_cities()))


def _regions_by_parent() -> dict[str, list[Region]]:
    by_parent: dict[str, list[Region]] = {}
    for region in Region.objects.order_by("code"):
        by_parent.setdefault(region.parent_id or "", []).append(region)
    return by_parent


def regions_under(code: str = "") -> list[Region]:
    """The provinces, or the regions directly under `code`, from one read of the region table
    per version of the reference data (the region pickers, on every application form)."""
    if code and not is_region_code(code):
        return []
    return _regions_kept().get(code, [])


def city_get(code: str) -> Region | None:
    """One of Jiangsu's 13 cities by its code, or None."""
    return next((city for city in city_list() if city.code == code), None)


def is_jiangsu_city(code: str) -> bool:
    return city_get(code) is not None


def school_list_active(*, city_code: str = "", name: str = "") -> QuerySet[School]:
    """Active schools, those with a code first in the Ministry's order. `city_code` is a
    prefecture (320500 also finds 张家港市's and 昆山市's schools); `name` a fragment."""
    schools = School.objects.filter(is_active=True).select_related("region")
    if city_code:
        if not is_region_code(city_code):
            return School.objects.none()
        schools = schools.filter(region__code__startswith=city_code[:4])
    if name:
        if any(ord(char) < 32 for char in name):  # control characters never match a name
            return School.objects.none()
        schools = schools.filter(name__icontains=name)
    return schools.order_by(
        Case(When(code="", then=Value(1)), default=Value(0), output_field=IntegerField()),
        "code",
        "name",
    )


def ethnic_group_list() -> QuerySet[EthnicGroup]:
    return EthnicGroup.objects.all()


def education_level_list(*, selectable_only: bool = False) -> QuerySet[EducationLevel]:
    levels = EducationLevel.objects.all()
    return levels.filter(is_selectable=True) if selectable_only else levels


def bank_list_active() -> QuerySet[Bank]:
    return Bank.objects.filter(is_active=True)


def reference_row(model, code):
    """One ethnic group, education level, bank or region by its code, from a copy of the table
    kept per version of the reference data (no query), or None. For pages that name an
    application's reference rows: joining the four tables made PostgreSQL plan an eight-table
    join on every view of a case (5 ms to plan, 0.1 ms to run)."""
    if model is Region:
        rows = kept_locally(REFERENCE_VERSION, ("regions-by-code",), lambda: {
            region.code: region for regions in _regions_kept().values() for region in regions
        })
    else:
        rows = kept_locally(REFERENCE_VERSION, ("by-code", model._meta.label), lambda: {
            row.pk: row for row in model.objects.all()
        })
    return rows.get(code)


def _regions_kept() -> dict[str, list[Region]]:
    return kept_locally(REFERENCE_VERSION, ("regions",), _regions_by_parent)


def regions_with_children(regions) -> set[str]:
    """The codes, among `regions`, of those that have sub-regions (one query for a whole list)."""
    return set(Region.objects.filter(parent__in=list(regions)).values_list("parent_id", flat=True))


def school_city_code(school_id) -> str:
    """The code of the prefecture-level city a school is in (its region, or the region's parent),
    as a city bureau's jurisdiction reads it; "" when neither is a city. From the kept copies of
    the school and region tables (no query)."""
    school = reference_row(School, school_id)
    region = reference_row(Region, school.region_id) if school is not None and school.region_id else None
    parent = reference_row(Region, region.parent_id) if region is not None and region.parent_id else None
    for candidate in (region, parent):
        if candidate is not None and candidate.level == Region.Level.PREFECTURE:
            return candidate.code
    return ""


def school_get(pk) -> School | None:
    """An active or inactive school by its id, or None (the picker's chosen school)."""
    return School.objects.filter(pk=pk).first() if str(pk).isdigit() else None
