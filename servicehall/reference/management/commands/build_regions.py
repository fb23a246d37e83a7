import csv

from django.core.management.base import BaseCommand

from servicehall.reference import datafiles, locdat


class Command(BaseCommand):
    help = "Regenerate reference/data/regions.csv from python-stdnum's cn/loc.dat."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--loc-dat", help="path to loc.dat (default: the installed stdnum's)")
        parser.add_argument("--output", default=str(datafiles.REGIONS_CSV))

    def handle(self, *args, loc_dat=None, output=None, **options):
        rows = locdat.current_regions(locdat.parse(loc_dat))
        with open(output, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=datafiles.REGION_FIELDS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        self.stdout.write(f"{len(rows)} regions written to {output}")
