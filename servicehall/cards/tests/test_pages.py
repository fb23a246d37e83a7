"""The pages, through HTTP as a browser uses them: 电子社保卡, the QR check, and the import."""

import time
from datetime import date

import pytest
from django.conf import settings
from django.core import signing
from django.urls import reverse

from servicehall.cards import selectors, services
from servicehall.cards.models import CardImportBatch, SocialSecurityCard
from tests.clients import staff_client

from .factories import OTHER_ID, csv_bytes, row, upload

pytestmark = pytest.mark.django_db

ACCOUNT = "6212260000000000011"


def give_card(id_number, name="张晓明", **overrides):
    args = {
        "id_number": id_number, "name": name, "card_number": "D90000001", "generation": 3,
        "bank": "102", "account": ACCOUNT, "financial_active": True, "status": "normal",
        "issued_on": date(2024, 9, 1),
    }
    args.update(overrides)
    return services.card_upsert(**args).card


# --- 电子社保卡 ---------------------------------------------------------------------------------

def test_my_card_is_shown_masked_with_a_qr_code(person, person_client):
    give_card(person.id_number)
    response = person_client.get(reverse("cards:my"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    for shown in ("江苏省社会保障卡", "第三代", "张*明", "D*****001", "中国工商银行", "6212 **** **** 0011",
                  "金融功能已开通", "卡状态：正常", "出示二维码可供核验卡片状态，10分钟内有效"):
        assert shown in html, shown
    for secret in (ACCOUNT, "D90000001", person.id_number, "张晓明</"):
        assert secret not in html, secret
    assert '<svg role="img" aria-label="电子社保卡核验二维码"' in html
    assert "card-help" not in html


def test_no_card_says_where_to_get_one(person_client):
    html = person_client.get(reverse("cards:my")).content.decode()
    assert "携带本人居民身份证到就近的社会保障卡即时制卡网点办理（可现场开通金融功能）" in html
    assert "358×441" in html and "15–100KB" in html
    assert "社会保障卡系统的数据下次导入本大厅时" in html
    assert "<svg role=\"img\"" not in html


@pytest.mark.parametrize(("overrides", "advice", "qr"), [
    ({"financial_active": False}, "携带社会保障卡和身份证到发卡银行网点开通金融功能", True),
    ({"status": "reported_lost"}, "办理补领", False),
    ({"status": "cancelled"}, "重新申领", False),
])
def test_an_unusable_card_says_what_to_do(person, person_client, overrides, advice, qr):
    give_card(person.id_number, **overrides)
    html = person_client.get(reverse("cards:my")).content.decode()
    assert advice in html
    assert ("电子社保卡核验二维码" in html) is qr
    assert "D*****001" in html


def test_another_persons_card_is_never_shown(person_client):
    give_card(OTHER_ID, name="王小红")
    html = person_client.get(reverse("cards:my")).content.decode()
    assert "王*红" not in html and "D*****001" not in html
    assert "您还没有江苏省社会保障卡" in html


def test_my_card_needs_a_person(client, operator, sms_code):
    response = client.get(reverse("cards:my"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    staff = staff_client(operator, sms_code)
    response = staff.get(reverse("cards:my"))
    assert response.status_code == 302 and response.url == reverse("accounts:staff_home")


# --- The QR check -----------------------------------------------------------------------------

def test_a_fresh_token_shows_the_card_status_to_anyone(client, person):
    card = give_card(person.id_number)
    response = client.get(reverse("cards:verify", args=[selectors.verify_token_for(card)]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "卡片状态：有效" in html and "张*明" in html and "D*****001" in html and "核验时间" in html
    assert ACCOUNT not in html and "D90000001" not in html and "中国工商银行" not in html
    assert 'name="robots" content="noindex' in html


def test_a_card_lost_after_the_code_was_shown_checks_as_invalid(client, person):
    card = give_card(person.id_number)
    token = selectors.verify_token_for(card)
    give_card(person.id_number, status="reported_lost")
    html = client.get(reverse("cards:verify", args=[token])).content.decode()
    assert "卡片状态：无效（已挂失）" in html and "卡片状态：有效" not in html


def test_an_expired_token_says_so(client, person, monkeypatch):
    card = give_card(person.id_number)
    real_time = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() - 11 * 60)
    token = selectors.verify_token_for(card)
    monkeypatch.setattr(signing.time, "time", real_time)
    response = client.get(reverse("cards:verify", args=[token]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "二维码已过期" in html and "张*明" not in html


@pytest.mark.parametrize("token", [
    "garbage", "x" * 5000, "eyJjYXJkIjoxfQ:1abcde:AAAA", "<script>alert(1)", "..%2F..%2F", "1:2:3",
])
def test_a_bad_token_is_a_page_not_an_error(client, person, token):
    give_card(person.id_number)
    response = client.get(reverse("cards:verify", args=[token]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "二维码无效，无法核验" in html and "<script>alert(1)" not in html


def test_a_token_for_another_purpose_or_card_is_refused(client, person):
    card = give_card(person.id_number)
    other_salt = signing.dumps({"card": card.pk})  # signed, but not for cards.verify
    gone = selectors.verify_token_for(SocialSecurityCard(pk=card.pk + 100))
    for token in (other_salt, gone):
        html = client.get(reverse("cards:verify", args=[token])).content.decode()
        assert "二维码无效，无法核验" in html


# --- 社会保障卡数据导入 ----------------------------------------------------------------------------

def test_the_import_is_for_operators_only(client, person_client, school_reviewer, sms_code):
    url = reverse("cards:import")
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login_staff"))
    response = person_client.get(url)
    assert response.status_code == 302 and response.url == reverse("portal:center")
    reviewer = staff_client(school_reviewer, sms_code, address="10.0.0.4")
    assert reviewer.get(url).status_code == 403
    assert reviewer.post(url, {"file": upload(csv_bytes([row()]))}).status_code == 403
    assert not CardImportBatch.objects.exists()


def test_operator_uploads_and_reads_the_report(operator_client):
    page = operator_client.get(reverse("cards:import")).content.decode()
    assert "证件号码,姓名,社会保障卡号,卡代际,开户银行,银行账号,金融功能状态,卡状态,发卡日期" in page
    assert "还没有导入过社会保障卡数据" in page

    data = csv_bytes([row(), row(card_number="D90000002", bank="<script>alert(1)</script>")])
    response = operator_client.post(reverse("cards:import"), {"file": upload(data)})
    batch = CardImportBatch.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("cards:import_report", args=[batch.pk])
    report = operator_client.get(response.url).content.decode()
    assert "导入完成：新增1张卡，更新0张卡。" in report
    assert "第3行" in report and "开户银行" in report and "未找到该开户银行" in report
    assert "<script>alert(1)" not in report and "&lt;script&gt;" in report
    assert OTHER_ID not in report
    # The stored report's reasons read in the reader's language.
    operator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = operator_client.get(response.url).content.decode()
    assert "The bank could not be found" in english and "未找到该开户银行" not in english
    assert '<td data-label="Column">开户银行</td>' in english  # the file's own header
    del operator_client.cookies[settings.LANGUAGE_COOKIE_NAME]

    again = operator_client.post(reverse("cards:import"), {"file": upload(data)}, follow=True)
    html = again.content.decode()
    assert "本次导入没有改变任何卡片数据：1条有效记录与系统中已有的数据完全一致。" in html
    assert "导入的文件内容完全相同" in html
    listing = operator_client.get(reverse("cards:import")).content.decode()
    assert listing.count(reverse("cards:import_report", args=[batch.pk]) + '"') == 1
    assert CardImportBatch.objects.count() == 2 and SocialSecurityCard.objects.count() == 1


@pytest.mark.parametrize(("files", "message"), [
    ({}, "请选择要导入的数据文件"),
    ({"file": upload(b"\x00\x01\x02garbage")}, "无法识别文件内容"),
    ({"file": upload(b"a,b\r\n1,2\r\n")}, "表头缺少以下列"),
    ({"file": upload(b"data", name="cards.exe")}, "请上传.csv或.xlsx文件"),
])
def test_a_refused_file_is_shown_beside_the_field(operator_client, files, message):
    response = operator_client.post(reverse("cards:import"), files)
    html = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in html and message in html
    assert not CardImportBatch.objects.exists()


def test_another_batch_number_is_not_found(operator_client):
    assert operator_client.get(reverse("cards:import_report", args=[999])).status_code == 404


# --- The admin --------------------------------------------------------------------------------

def test_the_admin_shows_only_masked_values_and_cannot_change(operator_client, person):
    card = give_card(person.id_number)
    listing = operator_client.get("/admin/cards/socialsecuritycard/")
    detail = operator_client.get(f"/admin/cards/socialsecuritycard/{card.pk}/change/")
    assert listing.status_code == 200 and detail.status_code == 200
    for html in (listing.content.decode(), detail.content.decode()):
        assert "D*****001" in html and "6212 **** **** 0011" in html
        for secret in (ACCOUNT, "D90000001", person.id_number, card.id_number_index):
            assert secret not in html
    assert operator_client.get("/admin/cards/socialsecuritycard/add/").status_code == 403
    assert operator_client.get("/admin/cards/cardimportbatch/").status_code == 200
