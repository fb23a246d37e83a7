"""Load the committed catalog content (data/catalog.json) into every new database."""

from django.db import migrations

from servicehall.catalog import content


def load(apps, schema_editor):
    content.load(lambda name: apps.get_model("catalog", name), using=schema_editor.connection.alias)


def unload(apps, schema_editor):
    db = schema_editor.connection.alias
    for name in ("Service", "ServiceGroup", "Audience", "Category"):
        apps.get_model("catalog", name).objects.using(db).all().delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
