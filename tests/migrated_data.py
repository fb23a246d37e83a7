"""The rows data migrations load (reference tables, the catalog). A transactional test flushes
every table when it ends; the next one puts them back through these, the way the migrations
load them (bulk inserts from the same files: milliseconds)."""


def ensure_reference_data() -> None:
    from servicehall.reference import datafiles
    from servicehall.reference.models import Bank, EducationLevel, EthnicGroup, Region, School

    if Region.objects.exists():
        return
    Region.objects.bulk_create([
        Region(code=row["code"], name=row["name"], level=row["level"],
               parent_id=row["parent"] or None, full_name=row["full_name"])
        for row in datafiles.regions()
    ])
    EthnicGroup.objects.bulk_create([EthnicGroup(**row) for row in datafiles.ethnic_groups()])
    EducationLevel.objects.bulk_create([EducationLevel(**row) for row in datafiles.education_levels()])
    Bank.objects.bulk_create([Bank(**row) for row in datafiles.banks()])
    School.objects.bulk_create([School(**row) for row in datafiles.schools()])


def ensure_catalog_data() -> None:
    from django.apps import apps

    from servicehall.catalog import content
    from servicehall.catalog.models import Category

    if not Category.objects.exists():
        content.load(lambda name: apps.get_model("catalog", name))
