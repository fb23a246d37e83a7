"""CheckResult moves from verification to subsidy (verification sits below subsidy and may not
point at its Application). The table keeps its name, so no row moves.

verification 0001 used to create this table. It no longer does, so that verification's
migrations do not depend on subsidy's. A database migrated before the move already has the table
and keeps it; a new database gets it here."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import servicehall.core.fields

TABLE = "verification_checkresult"


def create_table_when_missing(apps, schema_editor):
    if TABLE not in schema_editor.connection.introspection.table_names():
        schema_editor.create_model(apps.get_model("subsidy", "CheckResult"))


class Migration(migrations.Migration):
    dependencies = [
        ("subsidy", "0003_retention_policy"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CheckResult',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('rule', models.CharField(choices=[('category', '毕业生类型核验'), ('not_employed', '未就业核验'), ('not_granted', '未领取过补贴核验')], max_length=20, verbose_name='比对项目')),
                        ('outcome', models.CharField(choices=[('passed', '通过'), ('failed', '未通过'), ('not_found', '未查到')], max_length=10, verbose_name='比对结果')),
                        ('detail_json', servicehall.core.fields.EncryptedTextField(default='')),
                        ('checked_on', models.DateField(verbose_name='核验日期')),
                        ('checked_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='比对时间')),
                        ('overridden_at', models.DateTimeField(blank=True, null=True, verbose_name='放行时间')),
                        ('override_reason', servicehall.core.fields.EncryptedTextField(blank=True, default='', verbose_name='放行理由')),
                        ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='checks', to='subsidy.application', verbose_name='申请')),
                        ('overridden_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': '比对结果',
                        'verbose_name_plural': '比对结果',
                        'db_table': 'verification_checkresult',
                        'ordering': ['application_id', 'rule'],
                        'indexes': [models.Index(fields=['rule', 'outcome'], name='verification_result_outcome')],
                        'constraints': [models.UniqueConstraint(fields=('application', 'rule'), name='verification_one_result_per_rule')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(create_table_when_missing, migrations.RunPython.noop, elidable=False),
    ]
