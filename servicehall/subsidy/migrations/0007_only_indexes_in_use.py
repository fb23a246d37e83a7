"""Only the indexes a query uses (issue 16): each index of the applications is written again on
every move of a state, and a batch of 100,000 moves them all at once. Gone: the LIKE copies of
texts never searched by their beginning, the foreign keys to reference data (looked up only when
an operator deletes a reference row), the state's and the school's own (the queue indexes begin
with them) and the time of the last move's (always asked together with the state).

Altering the ID number's index field drops every one-column index on it, the partial unique
index that holds one claim per person among them (Django finds indexes by their columns): that
constraint is removed first and made again after, by name.

On SQLite, altering a field rebuilds the table with the indexes the model declares: the queue
indexes of 0006, written per database, are made again at the end."""

import importlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


ONE_CLAIM_PER_PERSON = models.UniqueConstraint(
    condition=models.Q(("state__in", ["refused", "rejected", "withdrawn"]), _negated=True),
    fields=("id_number_index",),
    name="subsidy_one_claim_per_person",
)
queue_indexes = importlib.import_module("servicehall.subsidy.migrations.0006_queue_indexes")


class Migration(migrations.Migration):
    dependencies = [
        ("reference", "0003_workdayoverride"),
        ("subsidy", "0006_queue_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="application", name="subsidy_one_claim_per_person"),
        migrations.AlterField(
            model_name="application",
            name="bank",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to="reference.bank",
                verbose_name="开户银行",
            ),
        ),
        migrations.AlterField(
            model_name="application",
            name="category_index",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AlterField(
            model_name="application",
            name="education_level",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to="reference.educationlevel",
                verbose_name="学历",
            ),
        ),
        migrations.AlterField(
            model_name="application",
            name="ethnic_group",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to="reference.ethnicgroup",
                verbose_name="民族",
            ),
        ),
        migrations.AlterField(
            model_name="application",
            name="hukou_region",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="reference.region",
                verbose_name="户籍区划",
            ),
        ),
        migrations.AlterField(
            model_name="application",
            name="id_number_index",
            field=models.CharField(max_length=64),
        ),
        migrations.AlterField(
            model_name="application",
            name="record_number",
            field=models.CharField(blank=True, max_length=16, null=True, verbose_name="申报编号"),
        ),
        migrations.AlterField(
            model_name="application",
            name="residence_region",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="reference.region",
                verbose_name="常住区划",
            ),
        ),
        migrations.AlterField(
            model_name="application",
            name="school",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="reference.school",
                verbose_name="毕业学校",
            ),
        ),
        migrations.AlterField(
            model_name="application",
            name="state",
            field=models.CharField(
                choices=[
                    ("draft", "草稿"),
                    ("school_review", "学校审核中"),
                    ("returned", "已退回修改"),
                    ("refused", "不予受理"),
                    ("withdrawn", "已撤回"),
                    ("awaiting_publicity", "待公示"),
                    ("publicity", "学校公示中"),
                    ("first_review", "人社初审中"),
                    ("second_review", "人社复审中"),
                    ("rejected", "审核不通过"),
                    ("awaiting_payment", "待发放"),
                    ("paying", "发放中"),
                    ("paid", "已发放"),
                    ("payment_failed", "发放失败"),
                ],
                default="draft",
                max_length=20,
                verbose_name="状态",
            ),
        ),
        migrations.AlterField(
            model_name="application",
            name="state_changed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["id_number_index"], name="subsidy_application_id_number"),
        ),
        migrations.AddConstraint(
            model_name="application",
            constraint=models.UniqueConstraint(
                fields=("record_number",), name="subsidy_record_number_unique"
            ),
        ),
        migrations.AddConstraint(model_name="application", constraint=ONE_CLAIM_PER_PERSON),
        migrations.RunPython(queue_indexes.create, migrations.RunPython.noop),
    ]
