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
