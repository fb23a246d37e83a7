from django.core.management.base import BaseCommand

from servicehall.reference.services import reference_data_sync


class Command(BaseCommand):
    help = (
        "Create or update regions, ethnic groups, education levels, banks and schools from "
        "the CSV files in servicehall/reference/data/ (safe to run again)."
    )

    def handle(self, *args, **options):
        report = reference_data_sync()
        self.stdout.write(
            f"reference data: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged"
        )
