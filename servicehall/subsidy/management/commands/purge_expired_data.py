from django.core.management.base import BaseCommand

from servicehall.subsidy.retention import retention_purge


class Command(BaseCommand):
    help = (
        "Remove drafts untouched past the retention an operator set, unused old uploads, and the "
        "uploaded files of cases concluded past it; records what it removed (run daily)."
    )

    def handle(self, *args, **options):
        summary = retention_purge()
        self.stdout.write(
            f"{summary['drafts']} draft(s), {summary['files']} file(s) of {summary['cases']} concluded "
            "case(s) removed."
        )
