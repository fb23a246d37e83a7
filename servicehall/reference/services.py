"""Writes of reference data: the idempotent sync from the committed CSVs, and saving a school
edited by an operator."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from servicehall.core.errors import DomainError

from . import datafiles
from .models import Bank, EducationLevel, EthnicGroup, Region, School


@dataclass
class SyncReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _upsert(report: SyncReport, instance, values: dict) -> None:
    """Create `instance` (unsaved) or update only the fields whose values differ."""
    changed = [field for field, value in values.items() if getattr(instance, field) != value]
    for field in changed:
        setattr(instance, field, values[field])
    if instance._state.adding:
        instance.save()
        report.created += 1
    elif changed:
        instance.save(update_fields=changed)
        report.updated += 1
    else:
        report.unchanged += 1


def _sync_by_code(report: SyncReport, model, rows) -> None:
    existing = model.objects.in_bulk([row["code"] for row in rows])
    for row in rows:
        _upsert(report, existing.get(row["code"]) or model(code=row["code"]), row)


def _sync_schools(report: SyncReport) -> None:
    # A school is matched by its code, or by its name when it has no code or an operator added
    # it before the code was known. An operator's 启用 switch is never overwritten.
    for row in datafiles.schools():
        school = None
        if row["code"]:
            school = School.objects.filter(code=row["code"]).first()
        if school is None:
            school = School.objects.filter(name=row["name"]).first()
        _upsert(report, school or School(), row)


@transaction.atomic
def reference_data_sync() -> SyncReport:
    """Create or update every region, ethnic group, education level, bank and school from the
    CSVs in `reference/data/`; a second run reports everything unchanged. Rows an operator
    added (schools, banks) are kept, and so are regions no longer in the CSV, because
    applications may point at them."""
    report = SyncReport()
    regions = [
        {"code": row["code"], "name": row["name"], "level": row["level"],
         "parent_id": row["parent"] or None, "full_name": row["full_name"]}
        for row in datafiles.regions()
    ]
    _sync_by_code(report, Region, regions)  # parents come first in the CSV
    _sync_by_code(report, EthnicGroup, datafiles.ethnic_groups())
    _sync_by_code(report, EducationLevel, datafiles.education_levels())
    _sync_by_code(report, Bank, datafiles.banks())
    _sync_schools(report)
    return report


def school_save(*, school: School) -> School:
    """Validate and save a school an operator created or edited."""
    try:
        school.full_clean()
    except ValidationError as error:
        fields = [name for name in error.message_dict if name != "__all__"]
        raise DomainError(" ".join(error.messages), code="invalid_school", fields=fields) from error
    school.save()
    return school
