import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from servicehall.cards.services import demo_card_for
from servicehall.reference.models import EducationLevel, EthnicGroup, School
from servicehall.subsidy.models import ApplicationWindow, WindowKind
from servicehall.subsidy.years import graduation_year_setup
from tests.people import make_staff

YEAR = 2027


@pytest.fixture
def year(db):
    return graduation_year_setup(year=YEAR)


@pytest.fixture
def open_window(year):
    """The year's main window moved around today, so pages see it open."""
    today = timezone.localdate()
    ApplicationWindow.objects.filter(graduation_year=year, kind=WindowKind.MAIN).update(
        opens_on=today - datetime.timedelta(days=3), closes_on=today + datetime.timedelta(days=3)
    )
    return ApplicationWindow.objects.get(graduation_year=year, kind=WindowKind.MAIN)


@pytest.fixture
def card(person):
    return demo_card_for(id_number=person.id_number, name=person.name)


def png(name="证明.png", size=(40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


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


@pytest.fixture
def world(organisations, school_reviewer):
    """Two schools and two bureaus with their reviewers: whose is whose is what the tests check."""
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
    }


def submit_for(applicant, *, year_obj=None):
    """An application of `applicant` at 南京大学, submitted through the services."""
    from servicehall.subsidy import selectors, services
    from servicehall.subsidy.forms import ApplicationForm

    demo_card_for(id_number=applicant.id_number, name=applicant.name)
    year_obj = year_obj or graduation_year_setup(year=YEAR)
    today = timezone.localdate()
    ApplicationWindow.objects.filter(graduation_year=year_obj, kind=WindowKind.MAIN).update(
        opens_on=today - datetime.timedelta(days=3), closes_on=today + datetime.timedelta(days=3)
    )
    application = services.application_start(applicant=applicant).application
    categories = list(selectors.categories_for(year_obj))
    form = ApplicationForm(form_data(), categories=categories)
    assert form.is_valid(), form.errors
    chosen = next(c for c in categories if c.code == "disabled")
    requirement = chosen.materials.get()
    material = services.material_store(owner=applicant, upload=png(), field="m")
    services.application_attach(
        applicant=applicant,
        application=application,
        requirement_id=requirement.pk,
        material=material,
        category=chosen,
    )
    return services.application_submit(
        applicant=applicant,
        application=application,
        data=form.valid_data(),
        graduation_year=year_obj,
        pledged=True,
    ).application


@pytest.fixture
def submitted(person):
    return submit_for(person)


@pytest.fixture
def migrated_rows(transactional_db):
    """For the race tests (transactional): the reference rows a previous flush removed."""
    from tests.migrated_data import ensure_reference_data

    ensure_reference_data()
