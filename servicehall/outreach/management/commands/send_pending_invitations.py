from django.core.management.base import BaseCommand

from servicehall.outreach.invitations import invitations_send_pending


class Command(BaseCommand):
    help = "While a window is open, invite the matched graduates of its year not yet invited for it (daily)."

    def handle(self, *args, **options):
        self.stdout.write(f"{invitations_send_pending()} invitation(s) sent.")
