from django.core.management.base import BaseCommand

from servicehall.audit.services import audit_purge_expired, retention_days


class Command(BaseCommand):
    help = "Remove audit entries older than AUDIT_RETENTION_DAYS (never younger than six months); run daily."

    def handle(self, *args, **options):
        removed = audit_purge_expired()
        self.stdout.write(f"{removed} audit entries older than {retention_days()} days removed.")
