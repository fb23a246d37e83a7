import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from servicehall.accounts import services as accounts
from servicehall.accounts.models import Organisation, User
from servicehall.cards.services import demo_outlets_load
from servicehall.core.versions import data_changed
from servicehall.notices.models import Notice
from servicehall.notices.services import notice_publish
from servicehall.portal import demo
from servicehall.portal.demo_outreach import demo_outreach_load
from servicehall.portal.demo_people import demo_person_load
from servicehall.reference.models import Region, School
from servicehall.subsidy.models import ApplicationWindow, WindowKind
from servicehall.subsidy.selectors import SETUP_VERSION
from servicehall.subsidy.years import CATEGORIES_IN_THE_MANUAL, MANUAL_YEAR, graduation_year_setup


class Command(BaseCommand):
    help = "Load the demo organisations and accounts (idempotent; development only)."

    def handle(self, *args, **options):
        year = self._load()
        # Outside the transaction above: the registry import writes alongside its reading.
        if demo_outreach_load(year):
            self.stdout.write(self.style.SUCCESS("Demo 政策找人: 南京大学's class is matched and invited."))

    @transaction.atomic
    def _load(self):
        orgs = {}
        for name, kind, region_code, school_code in demo.ORGANISATIONS:
            org = Organisation.objects.filter(name=name).first()
            if org is None:
                org = accounts.organisation_create(
                    name=name,
                    kind=kind,
                    region=Region.objects.get(code=region_code),
                    school=School.objects.get(code=school_code) if school_code else None,
                )
            orgs[name] = org
        for username, name, role, org_name, mobile, _what in demo.STAFF:
            if not User.objects.filter(username=username).exists():
                accounts.staff_create(
                    actor=None,
                    username=username,
                    name=name,
                    role=role,
                    organisation=orgs[org_name],
                    mobile=mobile,
                    password=demo.DEMO_PASSWORD,
                )
        demo_person_load(demo.APPLICANT)
        demo_outlets_load()
        year = self._open_window()
        # A past year with the categories the operating manual shows (its screens say 2021).
        graduation_year_setup(year=MANUAL_YEAR, categories=CATEGORIES_IN_THE_MANUAL)
        data_changed(SETUP_VERSION)
        for title, publisher, days_ago, body in demo.NOTICES:
            if not Notice.objects.filter(title=title).exists():
                notice_publish(
                    actor=None,
                    title=title,
                    body=body,
                    publisher=publisher,
                    is_demo=True,
                    published_at=timezone.now() - datetime.timedelta(days=days_ago),
                )
        self.stdout.write(
            self.style.SUCCESS("Demo organisations, accounts, notices and an open window are loaded.")
        )
        return year

    def _open_window(self):
        """The demo needs a window open today: the graduation year whose main window is nearest
        gets its main window moved around today, and the page says it was moved."""
        today = timezone.localdate()
        year = today.year + 1 if today.month >= 6 else today.year
        graduation_year = graduation_year_setup(year=year)
        ApplicationWindow.objects.filter(graduation_year_id=year, kind=WindowKind.MAIN).update(
            opens_on=min(today, datetime.date(year - 1, 9, 1)),
            closes_on=max(today + datetime.timedelta(days=60), datetime.date(year - 1, 9, 30)),
            note=demo.WINDOW_NOTE,
        )
        data_changed(SETUP_VERSION)  # written past the models' signals
        return graduation_year
