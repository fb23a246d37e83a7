"""factory_boy factories of the subsidy: a graduation year with its window open, applications
submitted through the hall's own services, and the steps that move them on. Tests of every app
build applications here instead of importing the subsidy's test modules."""

import datetime

import factory
from django.utils import timezone

from servicehall.accounts.tests.factories import PersonFactory
from servicehall.cards.services import demo_card_for
from servicehall.core.versions import data_changed
from servicehall.reference.models import EducationLevel, EthnicGroup, School
from servicehall.subsidy.constants import ApplicationStatus
from servicehall.subsidy.models import Application, ApplicationWindow, WindowKind
from servicehall.subsidy.selectors import SETUP_VERSION
from servicehall.subsidy.transitions import states_changed
from servicehall.subsidy.years import graduation_year_setup
from tests.files import png
from tests.people import make_staff

YEAR = 2027


def open_year(year_obj=None, *, year: int = YEAR):
    """The graduation year (set up if missing) with its main window moved around today."""
    year_obj = year_obj or graduation_year_setup(year=year)
    today = timezone.localdate()
    ApplicationWindow.objects.filter(graduation_year=year_obj, kind=WindowKind.MAIN).update(
        opens_on=today - datetime.timedelta(days=3), closes_on=today + datetime.timedelta(days=3)
    )
    data_changed(SETUP_VERSION)  # written past the models' signals
    return year_obj


def form_data(category_code="disabled", **overrides) -> dict:
    """A complete, valid form as a browser would post it."""
    data = {
        "category": category_code,
        "ethnic_group": EthnicGroup.objects.get(name="汉族").pk,
        "education_level": EducationLevel.objects.filter(is_selectable=True).order_by("pk").first().pk,
        "school": School.objects.get(name="南京大学").pk,
        "student_number": "221250001",
        "department": "计算机学院",
        "major": "软件工程",
        "mobile": "13800000001",
        "hukou_region_province": "320000",
        "hukou_region_city": "320100",
        "hukou_region_county": "320104",
        "hukou_address": "江苏省南京市秦淮区瑞金路1号",
        "residence_region_province": "320000",
        "residence_region_city": "320100",
        "residence_region_county": "320106",
        "residence_address": "江苏省南京市鼓楼区汉口路22号",
        "pledge": "on",
        "action": "submit",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def ready_draft(applicant, *, year_obj=None):
    """A draft of `applicant` with its 残疾人证 attached, and the form's valid data: everything
    but the submission."""
    from servicehall.subsidy import selectors, services
    from servicehall.subsidy.forms import ApplicationForm

    application = services.application_start(applicant=applicant).application
    categories = list(selectors.categories_for(year_obj or application.graduation_year or YEAR))
    form = ApplicationForm(form_data(), categories=categories)
    assert form.is_valid(), form.errors
    chosen = next(c for c in categories if c.code == "disabled")
    material = services.material_store(owner=applicant, upload=png(), field="m")
    services.application_attach(
        applicant=applicant,
        application=application,
        requirement_id=chosen.materials.get().pk,
        material=material,
        category=chosen,
    )
    return application, form.valid_data()


def api_submit_body(data: dict) -> dict:
    """The body of POST /api/v1/applications/<id>/submit for a ready draft's valid data, as the
    app sends it: choices by their codes, the pledge given."""
    body = {
        key: data[key]
        for key in (
            "category", "student_number", "department", "major", "mobile", "hukou_address",
            "residence_address",
        )
    }
    for key in ("ethnic_group", "education_level", "school", "hukou_region", "residence_region"):
        body[key] = data[key].pk
    return {**body, "pledge": True}


class ApplicationFactory(factory.Factory):
    """A submitted application at 南京大学 (category 残疾, its proof attached), made through the
    services: `ApplicationFactory()` for a new applicant, `ApplicationFactory(applicant=p)`."""

    class Meta:
        model = Application

    applicant = factory.SubFactory(PersonFactory)
    graduation_year = None

    @classmethod
    def _create(cls, model_class, *, applicant, graduation_year):
        from servicehall.subsidy import services

        demo_card_for(id_number=applicant.id_number, name=applicant.name)
        year_obj = open_year(graduation_year)
        application, data = ready_draft(applicant, year_obj=year_obj)
        return services.application_submit(
            applicant=applicant, application=application, data=data, graduation_year=year_obj, pledged=True
        ).application


def submit_for(applicant, *, year_obj=None):
    """ApplicationFactory for a given person (the name most tests read best)."""
    return ApplicationFactory(applicant=applicant, graduation_year=year_obj)


def to_first_review(world, application) -> None:
    """The school approves and publishes; the 公示 period ends."""
    from servicehall.subsidy import publicity, review

    review.application_decide(
        decision="approve_by_school", actor=world["school"], application_id=application.pk
    )
    notice = publicity.publicity_publish(actor=world["school"], application_ids=[application.pk])
    publicity.publicities_close_due(now=notice.closes_at + datetime.timedelta(seconds=1))
    assert Application.objects.get(pk=application.pk).state == ApplicationStatus.FIRST_REVIEW


def refused_by_school(world, applicant, *, opinion: str = "不符合条件") -> Application:
    """A submitted application the school refused (不予受理): concluded at the school."""
    from servicehall.subsidy import review

    application = submit_for(applicant)
    return review.application_decide(
        decision="refuse_by_school", actor=world["school"], application_id=application.pk, opinion=opinion
    )


def to_awaiting_payment(world, applications) -> list[int]:
    """School, 公示, 初审 and 复审, each for all of them at once where the hall allows it."""
    from servicehall.subsidy import publicity, review
    from servicehall.subsidy.review_queue import Selection

    ids = [a.pk for a in applications]
    review.applications_approve(
        actor=world["school"], decision="approve_by_school", selection=Selection(ids=tuple(ids))
    )
    notice = publicity.publicity_publish(actor=world["school"], application_ids=ids)
    publicity.publicities_close_due(now=notice.closes_at + datetime.timedelta(seconds=1))
    for pk in ids:
        review.application_decide(decision="approve_first", actor=world["first"], application_id=pk)
    for pk in ids:
        review.application_decide(decision="approve_second", actor=world["second"], application_id=pk)
    return ids


def review_world(school_reviewer) -> dict:
    """Two schools and two bureaus with their reviewers: whose is whose is what tests check.
    `school_reviewer` is 南京大学's (the root conftest's fixture)."""
    from servicehall.accounts import services
    from servicehall.accounts.models import Organisation
    from servicehall.reference.models import Region

    seu = services.organisation_create(
        name="东南大学",
        kind=Organisation.Kind.SCHOOL,
        region=Region.objects.get(code="320100"),
        school=School.objects.get(name="东南大学"),
    )
    nanjing = services.organisation_create(
        name="南京市人力资源和社会保障局",
        kind=Organisation.Kind.BUREAU,
        region=Region.objects.get(code="320100"),
    )
    suzhou = services.organisation_create(
        name="苏州市人力资源和社会保障局",
        kind=Organisation.Kind.BUREAU,
        region=Region.objects.get(code="320500"),
    )
    return {
        "school": school_reviewer,
        "other_school": make_staff(seu, "seu.reviewer", "school_reviewer", "13900000012"),
        "first": make_staff(nanjing, "nj.reviewer1", "bureau_reviewer", "13900000021"),
        "second": make_staff(nanjing, "nj.reviewer2", "bureau_reviewer", "13900000022"),
        "other_bureau": make_staff(suzhou, "sz.reviewer", "bureau_reviewer", "13900000023"),
        "nanjing": nanjing,
        "suzhou": suzhou,
    }


def clone(application, count, *, state=ApplicationStatus.SCHOOL_REVIEW, start=0, **fields):
    """`count` copies of a submitted application, inserted at once (submit_for is slow): each
    with its own record number and ID index, in `state`, and `fields` set on every copy."""
    template = Application.objects.get(pk=application.pk)
    now = timezone.now()
    copies = []
    for i in range(start, start + count):
        copy = Application(
            **{
                f.attname: getattr(template, f.attname)
                for f in Application._meta.concrete_fields
                if not f.primary_key
            }
        )
        copy.record_number = f"29990101{i:08d}"
        copy.id_number_index = f"clone-{i}"
        copy.state = state
        copy.state_changed_at = now
        copy.publicity = None
        for key, value in fields.items():
            setattr(copy, key, value)
        copies.append(copy)
    made = Application.objects.bulk_create(copies, batch_size=500)
    states_changed(copy.school_id for copy in made)  # written past transitions.py, which raises them
    return made
