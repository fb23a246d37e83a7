"""The training manual's APP chapters through HTTP only, as a native app would do them:
APP注册登录 (register with an SMS code; log in by password and by SMS code), APP申请 (search
求职创业补贴, or 服务 → 就业 → 就业补贴; fill; 上传材料; 提交), APP查看办件 (我的办件 → 办件进度),
and 退回修改 → 重新提交."""

import io

import pytest
from pypdf import PdfReader
from rest_framework.test import APIClient

from servicehall.messaging.models import SmsMessage
from servicehall.subsidy import review
from tests.files import png
from tests.people import PASSWORD, resident_id

from .conftest import V1, bearer

pytestmark = pytest.mark.django_db
SUBSIDY = "job-seeking-subsidy"
ID_NUMBER = resident_id("32010219990521002")
MOBILE = "13812345678"


def _code(api, sms_code, mobile, purpose):
    response = api.post(V1 + "auth/sms-code", {"mobile": mobile, "purpose": purpose}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["message"].startswith("验证码已发送至138****")
    return sms_code(mobile)


def test_app_register_then_log_in_by_password_and_by_sms_code(sms_code):
    app = APIClient()
    # 我的 → 注册: fill, 获取验证码, tick the agreement, 注册.
    code = _code(app, sms_code, MOBILE, "register")
    response = app.post(
        V1 + "auth/register",
        {
            "id_type": "resident",
            "id_number": ID_NUMBER,
            "name": "王小丽",
            "mobile": MOBILE,
            "password": PASSWORD,
            "password_confirm": PASSWORD,
            "sms_code": code,
            "agree": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    tokens = response.json()
    assert tokens["token_type"] == "Bearer"
    assert tokens["user"]["masked_id_number"] == "3201**********" + ID_NUMBER[-4:]
    assert ID_NUMBER not in response.content.decode() and MOBILE not in response.content.decode()

    me = bearer(APIClient(), tokens["access"]).get(V1 + "me")
    assert me.status_code == 200 and me.json()["name"] == "王小丽"
    assert me.json()["masked_mobile"] == "138****5678"

    # 退出: the token no longer works.
    assert bearer(app, tokens["access"]).post(V1 + "auth/logout").status_code == 204
    assert app.get(V1 + "me").status_code == 401

    # 我的 → 登录 → 账号密码 (the ID number).
    app = APIClient()
    response = app.post(
        V1 + "auth/login/password", {"identifier": ID_NUMBER, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert bearer(app, response.json()["access"]).get(V1 + "me").json()["name"] == "王小丽"
    assert app.post(V1 + "auth/logout").status_code == 204

    # 我的 → 登录 → 手机动态码.
    app = APIClient()
    code = _code(app, sms_code, MOBILE, "login")
    response = app.post(V1 + "auth/login/sms", {"mobile": MOBILE, "sms_code": code}, format="json")
    assert response.status_code == 200, response.json()
    assert bearer(app, response.json()["access"]).get(V1 + "me").json()["name"] == "王小丽"


def _service_in(groups, code):
    return next((s for g in groups for s in g["services"] if s["code"] == code), None)


def _find_by_search(app):
    response = app.get(V1 + "services/search", {"q": "求职创业补贴"})
    assert response.status_code == 200
    result = response.json()
    group = next(g for g in result["groups"] if g["name"] == "就业补贴")
    service = _service_in([group], SUBSIDY)
    assert service["matched"] and service["is_online"]
    return service


def _find_by_categories(app):
    categories = app.get(V1 + "services/categories").json()
    employment = next(c for c in categories if c["short_name"] == "就业")
    groups = app.get(V1 + "services", {"category": employment["code"]}).json()
    group = next(g for g in groups if g["name"] == "就业补贴")
    return _service_in([group], SUBSIDY)


def _region(app, *names):
    """省 → 市 → 区县, as the app's pickers would walk them."""
    regions, code = app.get(V1 + "reference/regions").json(), ""
    for name in names:
        region = next(r for r in regions if r["name"] == name)
        code = region["code"]
        regions = app.get(V1 + "reference/regions", {"parent": code}).json() if region["has_children"] else []
    return code


def _fill_upload_submit(app):
    """The form: start, fill, 上传材料, 提交. Returns the submitted application."""
    status = app.get(V1 + "application").json()
    assert status["can_apply"] and status["problem"] is None
    started = app.post(V1 + "application")
    assert started.status_code == 201, started.json()
    application = started.json()
    options = app.get(V1 + "application/options").json()
    category = next(c for c in options["categories"] if c["name"] == "残疾")
    form = {
        "category": category["code"],
        "ethnic_group": next(e["code"] for e in options["ethnic_groups"] if e["name"] == "汉族"),
        "education_level": next(e["code"] for e in options["education_levels"] if e["name"] == "大学本科"),
        "school": app.get(V1 + "reference/schools", {"q": "南京大学"}).json()[0]["id"],
        "student_number": "221250001",
        "department": "计算机学院",
        "major": "软件工程",
        "hukou_region": _region(app, "江苏省", "南京市", "秦淮区"),
        "hukou_address": "江苏省南京市秦淮区瑞金路1号",
        "residence_region": _region(app, "江苏省", "南京市", "鼓楼区"),
    }
    saved = app.patch(V1 + f"applications/{application['id']}", form, format="json")
    assert saved.status_code == 200, saved.json()
    assert saved.json()["hukou_region"] == "320104" and saved.json()["mobile"] == "13800000001"

    # 提交 too early: the address and the document are missing, the pledge not given.
    early = app.post(V1 + f"applications/{application['id']}/submit", {"pledge": False}, format="json")
    assert early.status_code == 400
    assert {"residence_address", "pledge"} <= set(early.json()["fields"])
    assert early.json()["errors"]["residence_address"] == ["请填写居住地址"]

    # 上传材料, then attach it to the 残疾人证 slot.
    upload = app.post(V1 + "materials", {"file": png("残疾人证.png")}, format="multipart")
    assert upload.status_code == 201, upload.json()
    requirement = category["materials"][0]
    attached = app.post(
        V1 + f"applications/{application['id']}/materials",
        {"requirement_id": requirement["id"], "material_id": upload.json()["id"]},
        format="json",
    )
    assert attached.status_code == 200, attached.json()
    assert attached.json()["materials"][0]["files"][0]["original_name"] == "残疾人证.png"

    submitted = app.post(
        V1 + f"applications/{application['id']}/submit",
        {"residence_address": "江苏省南京市鼓楼区汉口路22号", "pledge": True},
        format="json",
    )
    assert submitted.status_code == 200, submitted.json()
    body = submitted.json()
    assert body["state"] == "school_review" and len(body["record_number"]) == 16
    assert not body["editable"]
    return body


@pytest.mark.parametrize("way", ["search", "categories"])
def test_app_apply_and_follow_the_case(
    way, person, card, open_window, person_api, world, django_capture_on_commit_callbacks
):
    app = person_api
    service = _find_by_search(app) if way == "search" else _find_by_categories(app)
    guide = app.get(V1 + f"services/{service['code']}").json()
    assert guide["name"] == "求职创业补贴个人申报" and guide["conditions"]

    with django_capture_on_commit_callbacks(execute=True):
        submitted = _fill_upload_submit(app)
    assert any(submitted["record_number"] in m.text for m in SmsMessage.objects.all())
    assert app.get(V1 + "application").json()["problem"] == "applied"

    # 我的 → 我的办件 → 办件进度.
    cases = app.get(V1 + "cases", {"status": "in_progress"}).json()
    assert [c["record_number"] for c in cases] == [submitted["record_number"]]
    assert app.get(V1 + "cases", {"status": "concluded"}).json() == []
    progress = app.get(V1 + f"cases/{cases[0]['id']}").json()
    assert [s["label"] for s in progress["steps"]] == [
        "申报提交",
        "学校审核",
        "学校公示",
        "人社初审",
        "人社复审",
        "资金发放",
    ]
    assert [s["status"] for s in progress["steps"][:3]] == ["done", "current", "todo"]
    assert progress["steps"][0]["events"][0]["action_label"] == "提交申请"
    assert progress["school"] == "南京大学" and progress["category"] == "残疾"
    receipt = app.get(V1 + f"cases/{cases[0]['id']}/receipt")
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(b"".join(receipt.streaming_content))).pages[0].extract_text()
    assert submitted["record_number"] in text and person.id_number not in text  # masked

    # 退回修改 by the school: a site message, the opinion on the application, 重新提交.
    with django_capture_on_commit_callbacks(execute=True):
        review.application_decide(
            decision="return_by_school",
            actor=world["school"],
            application_id=submitted["id"],
            opinion="请补充院系全称",
        )
    inbox = app.get(V1 + "messages").json()
    # The submission and the return each left a message, titled by their step, newest first.
    assert inbox["unread"] == 2
    assert [m["title"] for m in inbox["results"]] == ["申请被退回修改", "申请已提交"]
    message = app.get(V1 + f"messages/{inbox['results'][0]['id']}").json()
    assert message["read_at"] is not None and "请补充院系全称。请登录" in message["body"]
    returned = app.get(V1 + "application").json()
    assert returned["can_apply"] and returned["application"]["last_opinion"] == "请补充院系全称"
    again = app.post(
        V1 + f"applications/{submitted['id']}/resubmit",
        {"department": "计算机科学与技术学院", "pledge": True},
        format="json",
    )
    assert again.status_code == 200, again.json()
    assert again.json()["state"] == "school_review"
    assert again.json()["department"] == "计算机科学与技术学院"

    # 撤回: the case moves to 已办结.
    withdrawn = app.post(V1 + f"applications/{submitted['id']}/withdraw")
    assert withdrawn.json()["state"] == "withdrawn"
    concluded = app.get(V1 + "cases", {"status": "concluded"}).json()
    assert [c["state_display"] for c in concluded] == ["已撤回"]


def test_the_card_and_favourites(person, card, person_api):
    mine = person_api.get(V1 + "me/card").json()
    assert mine["usable_for_payment"] and mine["card"]["masked_account"] == card.masked_account
    assert card.account not in str(mine) and "/cards/verify/" in mine["verify_url"]
    assert person_api.put(V1 + f"favourites/{SUBSIDY}").json()["is_favourite"] is True
    assert [s["code"] for s in person_api.get(V1 + "favourites").json()] == [SUBSIDY]
    assert person_api.delete(V1 + f"favourites/{SUBSIDY}").status_code == 204
    assert person_api.get(V1 + "favourites").json() == []
