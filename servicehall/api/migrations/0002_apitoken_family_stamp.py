"""Token families (refresh reuse ends one login, not all) and the security stamp a token was
issued under. Existing rows each get a family of their own: a callable default on AddField
would give every existing row the same one."""

import uuid

from django.db import migrations, models


def one_family_per_row(apps, schema_editor):
    ApiToken = apps.get_model("api", "ApiToken")
    for row in ApiToken.objects.only("pk").iterator():
        ApiToken.objects.filter(pk=row.pk).update(family=uuid.uuid4())


class Migration(migrations.Migration):

    dependencies = [
        ("api", "0001_initial"),
        ("accounts", "0004_user_security_stamp"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="family",
            field=models.UUIDField(null=True, verbose_name="登录系列"),
        ),
        migrations.RunPython(one_family_per_row, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="family",
            field=models.UUIDField(db_index=True, default=uuid.uuid4, verbose_name="登录系列"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="stamp",
            field=models.PositiveIntegerField(default=0, verbose_name="登录凭证版本"),
        ),
    ]
