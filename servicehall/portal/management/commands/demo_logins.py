from django.conf import settings
from django.core.management.base import BaseCommand

from servicehall.portal import demo


class Command(BaseCommand):
    help = "Print the hall's URL and the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args, **options):
        url = options["url"]
        outbox = (
            f"{url}messaging/dev/sms/"
            if settings.SMS_DEV_OUTBOX_PAGE
            else "`python scripts/cluster.py sms <mobile>` (the cluster's SMS gateway)"
        )
        lines = [
            "",
            f"  江苏人社网上办事服务大厅 is at {url}",
            f"  SMS codes arrive in the outbox: {outbox}",
            "",
            f"  Every demo password is {demo.DEMO_PASSWORD}",
            "  个人登录 (applicant):",
            f"    {demo.APPLICANT['name']}  ID {demo.APPLICANT['id_number']}"
            f"  or mobile {demo.APPLICANT['mobile']}",
            f"    {demo.GRADUATE['name']}  mobile {demo.GRADUATE['mobile']}"
            "  (政策找人: invited, confirms in one step from 个人中心)",
            "  单位登录 (staff; the second factor's SMS code is in the outbox):",
        ]
        lines += [
            f"    {username:<14} {what} ({org})" for username, _n, _r, org, _m, what in demo.STAFF
        ]
        self.stdout.write("\n".join(lines) + "\n")
