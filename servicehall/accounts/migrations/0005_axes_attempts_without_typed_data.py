"""Empty the typed copies that django-axes kept before accounts.axes_records stopped them: the
ID numbers and mobiles already in axes_accessattempt.get_data / post_data."""

from django.db import migrations


def drop_typed_data(apps, schema_editor):
    AccessAttempt = apps.get_model("axes", "AccessAttempt")
    AccessAttempt.objects.exclude(get_data="", post_data="").update(get_data="", post_data="")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_user_security_stamp"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(drop_typed_data, migrations.RunPython.noop)]
