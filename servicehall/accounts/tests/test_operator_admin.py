"""Operators edit schools and organisations in the admin, reached only through 单位登录."""

import pytest
from django.urls import reverse

from servicehall.reference.models import Region, School
from tests.clients import staff_client

pytestmark = pytest.mark.django_db


def test_admin_password_login_is_closed(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login_staff"))


def test_operator_adds_a_vocational_school_without_a_code(client, operator, sms_code):
    staff_client(operator, sms_code, client=client)
    assert client.get("/admin/reference/school/").status_code == 200
    response = client.post("/admin/reference/school/add/", {
        "code": "", "name": "南京高等职业技术学校", "city": "南京市", "region": "320102",
        "authority": "南京市", "level": School._meta.get_field("level").choices[-1][0],
        "ownership": School._meta.get_field("ownership").choices[0][0], "is_active": "on",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    school = School.objects.get(name="南京高等职业技术学校")
    assert school.code == "" and school.region == Region.objects.get(code="320102")


def test_school_reviewer_has_no_admin(client, school_reviewer, sms_code):
    staff_client(school_reviewer, sms_code, client=client)
    response = client.get("/admin/reference/school/")
    assert response.status_code == 302  # sent to the login page: not admin staff
