from django.db import migrations, models


class Migration(migrations.Migration):
    """Appeal photos are encrypted from now on. The rows already there point at plain files: they
    get False (read as they are, until `manage.py encrypt_appeal_photos`), new rows True."""

    dependencies = [
        ("accounts", "0005_axes_attempts_without_typed_data"),
    ]

    operations = [
        migrations.AddField(
            model_name="accountappeal",
            name="id_photo_encrypted",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AlterField(
            model_name="accountappeal",
            name="id_photo_encrypted",
            field=models.BooleanField(default=True, editable=False),
        ),
    ]
