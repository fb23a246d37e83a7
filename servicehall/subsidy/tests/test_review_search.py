"""The reviewers' search by a whole ID number never puts the number in a URL (access logs, proxy
logs, browser history): the form is POSTed, the text kept in the session under a token, and
paging, tabs, the export and batch decisions carry the token instead."""

import html as markup
import io
import re
import time

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from openpyxl import load_workbook

from servicehall.core import search_tokens

from .test_review_pages import QUEUE, clone, confirm_fields, page_text, rows

pytestmark = pytest.mark.django_db

EXPORT = reverse("subsidy:review_export")
BATCH = reverse("subsidy:review_batch")


def _urls_in(html: str) -> list[str]:
    """Every address the page can lead to: links, form targets and the hidden fields that
    become a query string (the export's filters, the batch form's way back)."""
    found = re.findall(r'(?:href|action)="([^"]*)"', html)
    found += re.findall(r'<input type="hidden" name="[^"]+" value="([^"]*)"', html)
    return found


def _search(client, text, **filters):
    response = client.post(QUEUE, {"tab": "pending", "q": text, **filters})
    assert response.status_code == 302
    return response


def test_a_search_by_id_number_keeps_the_number_out_of_every_url(client, world, submitted, person):
    clone(submitted, 2)
    client.force_login(world["school"])
    response = _search(client, person.id_number)
    assert person.id_number not in response.url
    assert re.fullmatch(rf"{QUEUE}\?tab=pending&s=[\w-]+", response.url)
    page = client.get(response.url)
    assert rows(page) == [submitted.record_number]
    html = page_text(page)
    assert f'value="{person.id_number}"' in html  # still shown in the box, in the page only
    assert not [url for url in _urls_in(html) if person.id_number in url]
    assert "s=" in html.split('class="tabs review-tabs"')[1].split("</nav>")[0]  # tabs keep it

    # The export's hidden filters carry the token and export the search's result only.
    export_form = html.split('class="review-export"')[1].split("</form>")[0]
    params = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', export_form))
    exported = client.get(EXPORT, params)
    sheet = load_workbook(io.BytesIO(b"".join(exported.streaming_content))).active
    listed = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(listed) == 1 and submitted.record_number in listed[0]

    # A batch decision returns to the same search.
    back = markup.unescape(re.search(r'name="back" value="([^"]*)"', html).group(1))
    confirmation = client.post(BATCH, {"action": "approve", "ids": [submitted.pk], "back": back})
    assert not [url for url in _urls_in(page_text(confirmation)) if person.id_number in url]
    decided = client.post(BATCH, confirm_fields(confirmation))
    assert person.id_number not in decided.url and "s=" in decided.url
    assert "没有符合筛选条件的申请" in page_text(client.get(decided.url))


def test_paging_keeps_the_search(client, world, submitted):
    clone(submitted, 60)  # the same name as the original: 61 results
    client.force_login(world["school"])
    first = client.get(_search(client, "晓明").url)
    assert len(rows(first)) == 50
    following = re.search(r'href="(\?[^"]*page=2[^"]*)" rel="next"', page_text(first)).group(1)
    assert "s=" in following and "q=" not in following
    second = client.get(QUEUE + following.replace("&amp;", "&"))
    assert len(rows(second)) == 11


def test_a_number_typed_into_the_address_bar_is_not_searched(client, world, submitted, person):
    clone(submitted, 2)
    client.force_login(world["school"])
    assert len(rows(client.get(QUEUE, {"tab": "pending", "q": person.id_number}))) == 3


def test_a_token_works_only_in_its_own_session_and_only_for_a_day(client, world, submitted, person,
                                                                  monkeypatch):
    from django.test import Client

    clone(submitted, 2)
    client.force_login(world["school"])
    url = _search(client, person.id_number).url
    other = Client()
    other.force_login(world["school"])
    page = other.get(url)
    assert len(rows(page)) == 3 and "搜索条件已过期" in page_text(page)
    later = time.time() + search_tokens.LIFETIME + 1
    monkeypatch.setattr(search_tokens.time, "time", lambda: later)
    assert len(rows(client.get(url))) == 3


def test_the_session_keeps_the_search_encrypted(client, world, submitted, person):
    client.force_login(world["school"])
    _search(client, person.id_number)
    stored = [str(session.get_decoded()) for session in Session.objects.all()]
    assert stored and not [text for text in stored if person.id_number in text]
