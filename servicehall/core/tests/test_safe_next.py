"""One rule for `next`: only a path of this site is followed; anything else (a word, another
host, a script, control characters, undecodable bytes) falls back, never a server error."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from tests.people import PASSWORD

pytestmark = pytest.mark.django_db

REFUSED = [
    "abc",
    "portal:center",
    "javascript:alert(1)",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "https://evil.example/",
    "/center/\r\nSet-Cookie: x=1",
    "/center/\x00",
    "/" + "a" * 100_000,
    " /center/",
]
RAW_REFUSED = ["%ED%A0%80", "/%ED%A0%80", "%FF%FE"]  # a lone surrogate, invalid UTF-8


def _client():
    return Client(raise_request_exception=True)


def _body(next_raw: str, **fields) -> str:
    from urllib.parse import urlencode

    return urlencode(fields) + "&next=" + next_raw


@pytest.mark.parametrize("value", REFUSED, ids=range(len(REFUSED)))
def test_preferences_fall_back_to_the_home_page(value):
    for url in ["/preferences/region/", "/preferences/care-mode/"]:
        response = _client().post(url, {"next": value, "care_mode": "1"})
        assert response.status_code == 302
        assert response["Location"] == reverse("portal:home")


@pytest.mark.parametrize("raw", RAW_REFUSED)
def test_preferences_refuse_undecodable_next(raw):
    response = _client().post("/preferences/care-mode/", _body(raw, care_mode="1"),
                              content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")


def test_a_site_path_is_followed():
    response = _client().post("/preferences/care-mode/", {"next": "/notices/?page=2", "care_mode": "1"})
    assert response["Location"] == "/notices/?page=2"


@pytest.mark.parametrize("value", REFUSED, ids=range(len(REFUSED)))
def test_favourite_falls_back_to_the_guide(value, person):
    from servicehall.catalog.models import Service

    service = Service.objects.filter(is_published=True).first() or Service.objects.first()
    client = _client()
    client.force_login(person)
    response = client.post(f"/services/{service.code}/favourite/", {"next": value})
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:guide", args=[service.code])


@pytest.mark.parametrize("value", REFUSED, ids=range(len(REFUSED)))
def test_login_falls_back_to_the_centre(value, person):
    response = _client().post(reverse("accounts:login") + "?next=x",
                              {"identifier": person.mobile, "password": PASSWORD, "next": value})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:center")


@pytest.mark.parametrize("raw", RAW_REFUSED)
def test_login_refuses_undecodable_next(raw, person):
    response = _client().post(reverse("accounts:login"),
                              _body(raw, identifier=person.mobile, password=PASSWORD),
                              content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:center")


def test_login_follows_a_site_path(person):
    response = _client().post(reverse("accounts:login"),
                              {"identifier": person.mobile, "password": PASSWORD, "next": "/cards/my/"})
    assert response["Location"] == "/cards/my/"


@pytest.mark.parametrize("value", REFUSED, ids=range(len(REFUSED)))
def test_login_pages_do_not_carry_a_refused_next(value):
    for name in ["accounts:login", "accounts:login_sms", "accounts:login_qr", "accounts:login_staff"]:
        response = _client().get(reverse(name), {"next": value})
        assert response.status_code == 200
        assert f'name="next" value="{escape(value)}"' not in response.content.decode()


@pytest.mark.parametrize("value", REFUSED, ids=range(len(REFUSED)))
def test_registration_falls_back_to_the_centre(value, sms_code):
    from tests.people import resident_id

    client = _client()
    page = client.get(reverse("accounts:register"), {"next": value}).content.decode()
    assert f'name="next" value="{escape(value)}"' not in page
    mobile = "13912345678"
    fields = {
        "id_type": "resident", "id_number": resident_id("32010220050601002"), "name": "王小红",
        "mobile": mobile, "password": PASSWORD, "password_confirm": PASSWORD, "agree": "on",
    }
    client.post(reverse("accounts:register"), {**fields, "action": "send_code", "next": value})
    response = client.post(reverse("accounts:register") + "?next=x",
                           {**fields, "sms_code": sms_code(mobile), "next": value})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:center")


@pytest.mark.parametrize("raw", RAW_REFUSED)
def test_registration_refuses_undecodable_next(raw):
    response = _client().get(reverse("accounts:register") + "?next=" + raw)
    assert response.status_code == 200
    register_form = response.content.decode().split(f'action="{reverse("accounts:register")}"', 1)[1]
    assert 'name="next"' not in register_form.split("</form>", 1)[0]


@pytest.mark.parametrize("value", REFUSED, ids=range(len(REFUSED)))
def test_the_login_pages_register_link_drops_a_refused_next(value):
    page = _client().get(reverse("accounts:login"), {"next": value}).content.decode()
    assert f'href="{reverse("accounts:register")}"' in page
