"""The hall's one scheduler (core/scheduler.py): run it on every web host, in the foreground
under systemd (deploy/systemd/servicehall-scheduler.service). SIGTERM stops it between two jobs.

    manage.py run_scheduler          look at what is due every SCHEDULER_INTERVAL_SECONDS
    manage.py run_scheduler --once   run what is due now, then exit (cron, tests)"""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from servicehall.core import scheduler


class Command(BaseCommand):
    help = "Run the hall's periodic jobs, each period once across all schedulers."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run what is due now, then exit.")

    def handle(self, *args, once: bool = False, **options):
        stopping = threading.Event()
        if not once:
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: stopping.set())
        while True:
            close_old_connections()
            outcomes = scheduler.run_due(stop=stopping.is_set)
            if once:
                for command, outcome in outcomes.items():
                    self.stdout.write(f"{command}: {outcome}")
                return
            if stopping.wait(settings.SCHEDULER_INTERVAL_SECONDS):
                return
