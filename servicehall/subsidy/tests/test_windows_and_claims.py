"""The window's edges in China Standard Time, and one claim per person for life, also under
concurrent requests."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, transaction

from servicehall.core.errors import DomainError
from servicehall.core.versions import data_changed
from servicehall.subsidy import selectors, services
from servicehall.subsidy.constants import ApplicationStatus
from servicehall.subsidy.models import Application, WindowKind
from servicehall.subsidy.selectors import SETUP_VERSION
from servicehall.subsidy.tests.factories import ready_draft
from servicehall.subsidy.years import graduation_year_setup
from tests.races import race

CST = ZoneInfo("Asia/Shanghai")
D = datetime.date


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "kind"),
    [
        (D(2026, 8, 31), None),
        (D(2026, 9, 1), WindowKind.MAIN),
        (D(2026, 9, 30), WindowKind.MAIN),
        (D(2026, 10, 1), None),
        (D(2027, 4, 30), None),
        (D(2027, 5, 1), WindowKind.SUPPLEMENTARY),
        (D(2027, 5, 31), WindowKind.SUPPLEMENTARY),
        (D(2027, 6, 1), None),
    ],
)
def test_window_edges(day, kind):
    graduation_year_setup(year=2027)
    window = selectors.window_open(day)
    assert (window.kind if window else None) == kind


@pytest.mark.django_db
def test_outside_a_window_the_next_one_is_named():
    graduation_year_setup(year=2027)
    assert selectors.window_next(D(2026, 10, 1)).kind == WindowKind.SUPPLEMENTARY
    assert selectors.window_next(D(2026, 6, 1)).opens_on == D(2026, 9, 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "accepted"),
    [
        (datetime.datetime(2026, 8, 31, 23, 59, 59, tzinfo=CST), False),
        (datetime.datetime(2026, 9, 1, 0, 0, 0, tzinfo=CST), True),
        (datetime.datetime(2026, 9, 30, 23, 59, 59, tzinfo=CST), True),
        (datetime.datetime(2026, 10, 1, 0, 0, 0, tzinfo=CST), False),
    ],
)
def test_submit_at_the_edges_of_the_window(person, card, moment, accepted):
    year = graduation_year_setup(year=2027)
    application, data = ready_draft(person)
    if accepted:
        done = services.application_submit(
            applicant=person,
            application=application,
            data=data,
            graduation_year=year,
            pledged=True,
            now=moment,
        ).application
        assert done.state == ApplicationStatus.SCHOOL_REVIEW
        assert done.record_number.startswith(f"{moment:%Y%m%d}")
    else:
        with pytest.raises(DomainError) as error:
            services.application_submit(
                applicant=person,
                application=application,
                data=data,
                graduation_year=year,
                pledged=True,
                now=moment,
            )
        assert error.value.code == "window_closed"


@pytest.mark.django_db
def test_the_database_holds_one_active_claim_per_id_number(person):
    services.application_start(applicant=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            applicant=person,
            name=person.name,
            id_number=person.id_number,
            id_number_index=person.id_number_index,
            state=ApplicationStatus.PAID,
        )
    Application.objects.update(state=ApplicationStatus.WITHDRAWN)
    Application.objects.create(
        applicant=person, name=person.name, id_number=person.id_number, id_number_index=person.id_number_index
    )  # a released claim blocks nothing


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers; the race needs PostgreSQL"
)
def test_twenty_concurrent_submits_make_one_application(migrated_rows, person, card):
    year = graduation_year_setup(year=2027)
    from servicehall.subsidy.models import ApplicationWindow

    today = datetime.date.today()
    ApplicationWindow.objects.filter(graduation_year=year, kind=WindowKind.MAIN).update(
        opens_on=today - datetime.timedelta(days=2), closes_on=today + datetime.timedelta(days=2)
    )
    data_changed(SETUP_VERSION)  # written past the models' signals
    application, data = ready_draft(person)
    results = []

    def submit():
        results.append(
            services.application_submit(
                applicant=person, application=application, data=data, graduation_year=year, pledged=True
            ).application.record_number
        )

    assert race(20, submit) == []
    assert Application.objects.count() == 1
    assert len(set(results)) == 1
    assert Application.objects.get().timeline.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers; the race needs PostgreSQL"
)
def test_twenty_concurrent_starts_make_one_draft(migrated_rows, person):
    assert race(20, lambda: services.application_start(applicant=person)) == []
    assert Application.objects.count() == 1
