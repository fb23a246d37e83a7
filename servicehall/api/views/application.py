"""申报: whether the person can apply, the form's options, a draft saved, materials uploaded
and attached, 提交, 撤回, and 重新提交 after 退回修改. Every rule is subsidy's: the page's form
checks the fields, subsidy.services the rest."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from servicehall.core.errors import DomainError
from servicehall.reference.selectors import education_level_list, ethnic_group_list
from servicehall.subsidy import selectors, services
from servicehall.subsidy.constants import EDITABLE, ApplicationStatus
from servicehall.subsidy.eligibility import apply_status_for, graduation_year_for
from servicehall.subsidy.models import Material
from servicehall.subsidy.withdrawn_answers import withdrawn_answers_for

from .. import serializers_subsidy as s
from ..errors import error_body
from ..presenters import application_dict
from .common import validated
from .forms import application_form

TAG = "申报"
S = ApplicationStatus
FORM_EXAMPLE = {
    "category": "disabled",
    "ethnic_group": "01",
    "education_level": "21",
    "school": 1,
    "student_number": "221250001",
    "department": "计算机学院",
    "major": "软件工程",
    "mobile": "13800000001",
    "hukou_region": "320104",
    "hukou_address": "江苏省南京市秦淮区瑞金路1号",
    "residence_region": "320106",
    "residence_address": "江苏省南京市鼓楼区汉口路22号",
}
APPLICATION_EXAMPLE = {
    "id": 12,
    "record_number": None,
    "state": "draft",
    "state_display": "草稿",
    "editable": True,
    "graduation_year": 2027,
    "name": "张晓明",
    "gender_display": "男",
    "masked_id_number": "3201**********0038",
    **FORM_EXAMPLE,
    "bank": "",
    "masked_account": "",
    "last_opinion": "",
    "submitted_at": None,
    "materials": [
        {
            "requirement_id": 5,
            "files": [
                {
                    "id": "0b6f9a8e-2f0e-4d52-9d3b-7c1f0e1d2a3b",
                    "original_name": "残疾人证.png",
                    "content_type": "image/png",
                    "size": 20480,
                    "pages": None,
                    "uploaded_at": "2026-09-02T10:00:00+08:00",
                }
            ],
        }
    ],
}
APPLICATION_RESPONSE = OpenApiExample("申请", value=APPLICATION_EXAMPLE, response_only=True)


def _application(request, pk):
    return selectors.application_get_for(request.user, pk)


def _respond(application, status_code=status.HTTP_200_OK) -> Response:
    application.refresh_from_db()
    selectors.with_reference_rows(application)
    return Response(s.ApplicationSerializer(application_dict(application)).data, status=status_code)


class ApplyStatusView(APIView):
    @extend_schema(
        tags=[TAG],
        summary="能否申报",
        responses={200: s.ApplyStatusSerializer},
        description="社保卡、申报期和已有申请，与网页【申报】前的检查相同。",
        examples=[
            OpenApiExample(
                "可以申报",
                response_only=True,
                value={
                    "can_apply": True,
                    "problem": None,
                    "next_window": None,
                    "application": None,
                    "window": {
                        "graduation_year": 2027,
                        "kind": "main",
                        "kind_display": "申报期",
                        "opens_on": "2026-09-01",
                        "closes_on": "2026-09-30",
                    },
                },
            )
        ],
    )
    def get(self, request):
        now = apply_status_for(request.user)
        form_of = now.application or services.application_blank(applicant=request.user)
        return Response(
            s.ApplyStatusSerializer(
                {
                    "can_apply": now.can_apply,
                    "problem": now.problem,
                    "window": now.window,
                    "next_window": selectors.window_next() if now.window is None else None,
                    "application": application_dict(now.application) if now.application is not None else None,
                    "withdrawn_answers": bool(withdrawn_answers_for(now, form_of)),
                }
            ).data
        )

    @extend_schema(
        tags=[TAG],
        summary="开始申报",
        request=s.StartSerializer,
        responses={200: s.ApplicationSerializer, 201: s.ApplicationSerializer},
        description="新建草稿（201），或返回仍可修改的草稿、已退回的申请（200）。每人只能申领一次。"
        "撤回过申请的，可带 {\"fill_from_withdrawn\": true}（见 GET 的 withdrawn_answers）。",
        examples=[
            OpenApiExample(
                "用上次撤回的申请信息填写", value={"fill_from_withdrawn": True}, request_only=True
            ),
            APPLICATION_RESPONSE,
        ],
    )
    def post(self, request):
        if validated(s.StartSerializer, request)["fill_from_withdrawn"]:
            filled = services.application_fill_from_withdrawn(applicant=request.user)
            created = status.HTTP_201_CREATED if filled.created else status.HTTP_200_OK
            return _respond(filled.application, created)
        now = apply_status_for(request.user)
        if not now.can_apply:
            raise now.refusal()
        if now.application is not None:
            return _respond(now.application)
        started = services.application_start(applicant=request.user)
        created = status.HTTP_201_CREATED if started.done_now else status.HTTP_200_OK
        return _respond(started.application, created)


class FormOptionsView(APIView):
    @extend_schema(
        tags=[TAG],
        summary="表单选项",
        responses={200: s.FormOptionsSerializer},
        description="毕业生类型及其要上传的材料、民族、学历。毕业学校和区划见“基础数据”。",
        examples=[
            OpenApiExample(
                "2027届",
                response_only=True,
                value={
                    "graduation_year": 2027,
                    "amount_yuan": 1500,
                    "categories": [
                        {
                            "code": "disabled",
                            "name": "残疾",
                            "materials": [
                                {"id": 5, "name": "中华人民共和国残疾人证", "note": "", "is_required": True}
                            ],
                        }
                    ],
                    "ethnic_groups": [{"code": "01", "name": "汉族"}],
                    "education_levels": [{"code": "21", "name": "大学本科"}],
                },
            )
        ],
    )
    def get(self, request):
        year = graduation_year_for(selectors.application_active_for(request.user), selectors.window_open())
        if year is None:
            raise DomainError(_("现在不在申报期内，不能提交申请。"), code="window_closed")
        return Response(
            s.FormOptionsSerializer(
                {
                    "graduation_year": year.year,
                    "amount_yuan": year.amount_yuan,
                    "categories": selectors.categories_for(year),
                    "ethnic_groups": ethnic_group_list(),
                    "education_levels": education_level_list(selectable_only=True),
                }
            ).data
        )


class ApplicationView(APIView):
    @extend_schema(
        tags=[TAG],
        summary="申请详情",
        responses={200: s.ApplicationSerializer},
        examples=[APPLICATION_RESPONSE],
    )
    def get(self, request, pk: int):
        return _respond(_application(request, pk))

    @extend_schema(
        tags=[TAG],
        summary="保存草稿",
        request=s.ApplicationFormSerializer,
        responses={200: s.ApplicationSerializer},
        description="只改所发送的字段。填写不正确的字段不保存，其余照常保存（400 的 errors 逐项说明）。",
        examples=[
            OpenApiExample(
                "部分内容", value={"student_number": "221250001", "major": "软件工程"}, request_only=True
            ),
            APPLICATION_RESPONSE,
        ],
    )
    def patch(self, request, pk: int):
        application = _application(request, pk)
        payload = validated(s.ApplicationFormSerializer, request)
        year = graduation_year_for(application, selectors.window_open())
        form = application_form(application, payload, year=year, submit=False)
        form.is_valid()
        services.application_save_draft(
            applicant=request.user, application=application, data=form.valid_data(), graduation_year=year
        )
        if form.errors:
            return _form_error(form, _("草稿已保存，但有的内容不正确，没有保存，请按提示修改。"))
        return _respond(application)


def _form_error(form, message) -> Response:
    errors = {("non_field_errors" if k == "__all__" else k): list(v) for k, v in form.errors.items()}
    fields = [name for name in errors if name != "non_field_errors"]
    return Response(error_body(message, code="invalid", fields=fields, errors=errors), status=400)


class _SubmitBase(APIView):
    def _checked_form(self, request, application):
        """The form with every rule of 确认提交. A valid form goes to the service as it is (it
        keeps the data when it submits, and answers a repeat with the same submission); of an
        invalid one, what passed is kept as the draft."""
        payload = validated(s.SubmitSerializer, request)
        year = graduation_year_for(application, selectors.window_open())
        form = application_form(application, payload, year=year, submit=True)
        valid = form.is_valid()
        if not valid:
            self._keep_draft(request, application, form, year)
        return form, valid, year, payload["pledge"]

    def _keep_draft(self, request, application, form, year):
        if application.state in EDITABLE:
            services.application_save_draft(
                applicant=request.user, application=application, data=form.valid_data(), graduation_year=year
            )


class SubmitView(_SubmitBase):
    @extend_schema(
        tags=[TAG],
        summary="提交",
        request=s.SubmitSerializer,
        responses={200: s.ApplicationSerializer},
        description="确认提交：表单完整、材料齐全、在申报期内、社保卡可用。重复提交返回同一笔申请。",
        examples=[
            OpenApiExample("提交", value={**FORM_EXAMPLE, "pledge": True}, request_only=True),
            OpenApiExample(
                "已提交",
                response_only=True,
                value={
                    **APPLICATION_EXAMPLE,
                    "state": "school_review",
                    "state_display": "学校审核中",
                    "editable": False,
                    "record_number": "2026090212345678",
                },
            ),
        ],
    )
    def post(self, request, pk: int):
        application = _application(request, pk)
        form, valid, year, pledged = self._checked_form(request, application)
        if not valid:
            return _form_error(form, _("还有内容没有填写或不正确，请按提示修改后再提交。"))
        try:
            submitted = services.application_submit(
                applicant=request.user,
                application=application,
                data=form.valid_data(),
                graduation_year=year,
                pledged=pledged,
            )
        except DomainError:
            self._keep_draft(request, application, form, year)
            raise
        return _respond(submitted.application)  # 200 for the submission and for its repeats


class ResubmitView(_SubmitBase):
    @extend_schema(
        tags=[TAG],
        summary="重新提交",
        request=s.SubmitSerializer,
        responses={200: s.ApplicationSerializer},
        description="退回修改后，按意见（last_opinion）修改并重新提交，申请回到学校审核。",
        examples=[
            OpenApiExample(
                "重新提交", value={"major": "软件工程（卓越班）", "pledge": True}, request_only=True
            ),
            APPLICATION_RESPONSE,
        ],
    )
    def post(self, request, pk: int):
        application = _application(request, pk)
        form, valid, year, pledged = self._checked_form(request, application)
        if not valid:
            return _form_error(form, _("还有内容没有填写或不正确，请按提示修改后再提交。"))
        try:
            services.application_resubmit(
                applicant=request.user, application=application, data=form.valid_data(), pledged=pledged
            )
        except DomainError:
            self._keep_draft(request, application, form, year)
            raise
        return _respond(application)


class WithdrawView(APIView):
    @extend_schema(
        tags=[TAG],
        summary="撤回",
        request=None,
        responses={200: s.ApplicationSerializer},
        description="学校审核前或退回修改后可以撤回；撤回后如仍在申报期内，可以重新申报。",
        examples=[
            OpenApiExample(
                "已撤回",
                response_only=True,
                value={
                    **APPLICATION_EXAMPLE,
                    "state": "withdrawn",
                    "state_display": "已撤回",
                    "editable": False,
                },
            )
        ],
    )
    def post(self, request, pk: int):
        application = _application(request, pk)
        services.application_withdraw(applicant=request.user, application=application)
        return _respond(application)


class AttachView(APIView):
    @extend_schema(
        tags=[TAG],
        summary="添加材料",
        request=s.AttachSerializer,
        responses={200: s.ApplicationSerializer},
        description="把“我的材料”中的文件（先 POST materials 上传）用作所选毕业生类型要求的一项材料。",
        examples=[
            OpenApiExample(
                "残疾人证",
                request_only=True,
                value={"requirement_id": 5, "material_id": "0b6f9a8e-2f0e-4d52-9d3b-7c1f0e1d2a3b"},
            ),
            APPLICATION_RESPONSE,
        ],
    )
    def post(self, request, pk: int):
        application = _application(request, pk)
        data = validated(s.AttachSerializer, request)
        try:
            material = selectors.material_get_for(request.user, data["material_id"])
        except Material.DoesNotExist:
            raise DomainError(_("找不到这份材料。"), code="not_found") from None
        services.application_attach(
            applicant=request.user,
            application=application,
            requirement_id=data["requirement_id"],
            material=material,
        )
        return _respond(application)


class DetachView(APIView):
    @extend_schema(
        tags=[TAG],
        summary="移除材料",
        responses={200: s.ApplicationSerializer},
        description="文件仍留在“我的材料”中。",
        examples=[
            OpenApiExample("已移除", response_only=True, value={**APPLICATION_EXAMPLE, "materials": []})
        ],
    )
    def delete(self, request, pk: int, requirement_id: int, material_id):
        application = _application(request, pk)
        services.application_detach(
            applicant=request.user,
            application=application,
            requirement_id=requirement_id,
            material_id=str(material_id),
        )
        return _respond(application)
