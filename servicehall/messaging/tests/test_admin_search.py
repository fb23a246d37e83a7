"""Finding a number's SMS in the admin: the full mobile is POSTed and the list's URL carries a
token for it (core.search_tokens), never the number."""

import re

import pytest

from servicehall.messaging.services import sms_send

pytestmark = pytest.mark.django_db

LIST = "/admin/messaging/smsmessage/"
MOBILE = "13812345678"
OTHER_MOBILE = "13987654321"


@pytest.fixture
def two_numbers(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sms_send(mobile=MOBILE, text="一")
        sms_send(mobile=OTHER_MOBILE, text="二")


@pytest.mark.usefixtures("two_numbers")
def test_the_number_is_posted_and_the_address_carries_a_token(admin_client):
    response = admin_client.post(LIST, {"q": MOBILE})
    assert response.status_code == 302
    assert MOBILE not in response.url and re.fullmatch(rf"{LIST}\?s=[\w-]+", response.url)
    page = admin_client.get(response.url).content.decode()
    assert "138****5678" in page and "139****4321" not in page
    assert MOBILE not in page
    assert not [url for url in re.findall(r'(?:href|action)="([^"]*)"', page) if MOBILE in url]
    # Sorting keeps the search.
    sort = re.search(r'href="(\?[^"]*o=[^"]*)"', page).group(1).replace("&amp;", "&")
    assert "s=" in sort
    assert "139****4321" not in admin_client.get(LIST + sort).content.decode()


@pytest.mark.usefixtures("two_numbers")
def test_a_number_in_the_address_bar_is_not_searched(admin_client):
    page = admin_client.get(LIST, {"q": MOBILE}).content.decode()
    assert "138****5678" in page and "139****4321" in page


def test_someone_without_the_right_cannot_post_a_search(client, operator):
    client.force_login(operator)
    assert client.post(LIST, {"q": MOBILE}).status_code == 403
