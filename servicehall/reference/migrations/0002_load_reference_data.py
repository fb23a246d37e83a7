"""Load the committed reference data (data/*.csv) into every new database, tests included.
Later changes reach existing databases through `manage.py load_reference`."""

from django.db import migrations

from servicehall.reference import datafiles


def load(apps, schema_editor):
    db = schema_editor.connection.alias
    Region = apps.get_model("reference", "Region")
    EthnicGroup = apps.get_model("reference", "EthnicGroup")
    EducationLevel = apps.get_model("reference", "EducationLevel")
    Bank = apps.get_model("reference", "Bank")
    School = apps.get_model("reference", "School")
    Region.objects.using(db).bulk_create([
        Region(code=row["code"], name=row["name"], level=row["level"],
               parent_id=row["parent"] or None, full_name=row["full_name"])
        for row in datafiles.regions()
    ])
    EthnicGroup.objects.using(db).bulk_create([EthnicGroup(**row) for row in datafiles.ethnic_groups()])
    EducationLevel.objects.using(db).bulk_create(
        [EducationLevel(**row) for row in datafiles.education_levels()]
    )
    Bank.objects.using(db).bulk_create([Bank(**row) for row in datafiles.banks()])
    School.objects.using(db).bulk_create([School(**row) for row in datafiles.schools()])


def unload(apps, schema_editor):
    db = schema_editor.connection.alias
    for name in ("School", "Bank", "EducationLevel", "EthnicGroup"):
        apps.get_model("reference", name).objects.using(db).all().delete()
    Region = apps.get_model("reference", "Region")
    for level in ("county", "prefecture", "province"):  # children first: parent is PROTECT
        Region.objects.using(db).filter(level=level).delete()


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
