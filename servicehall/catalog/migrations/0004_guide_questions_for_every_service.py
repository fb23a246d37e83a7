"""Every published guide has its 常见问题 (issue 17): databases loaded before this change get the
questions of the services that had none, from the committed catalog content, as new ones do
through 0002. A service that already has questions in the database (an operator's edits) is left
as it is, and so is one whose questions the content does not give."""

from django.db import migrations

from servicehall.catalog import content

# The services whose questions were added to data/catalog.json with this migration.
CODES = (
    "employer-ss-registration",
    "employer-contribution-declaration",
    "employer-insurance-certificate",
    "personal-insurance-certificate",
    "professional-title",
    "unpaid-wage-report",
    "special-working-hours",
    "ss-card-replacement",
    "ss-card-status",
)


def add_missing_questions(apps, schema_editor):
    db = schema_editor.connection.alias
    Service = apps.get_model("catalog", "Service")
    GuideQuestion = apps.get_model("catalog", "GuideQuestion")
    rows = {row["code"]: row["questions"] for row in content.read()["services"] if row["code"] in CODES}
    without = set(
        Service.objects.using(db).filter(code__in=rows).exclude(questions__isnull=False)
        .values_list("code", flat=True)
    )
    GuideQuestion.objects.using(db).bulk_create([
        GuideQuestion(service_id=code, order=order, **question)
        for code in sorted(without) for order, question in enumerate(rows[code])
    ])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_case_progress_without_login")]
    operations = [migrations.RunPython(add_missing_questions, migrations.RunPython.noop)]
