"""我的办件 (办理中 / 已办结) with 办件进度, and 我的材料 (upload, list, the file itself)."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers as drf
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from servicehall.subsidy import receipt, selectors, services
from servicehall.subsidy.constants import ApplicationStatus
from servicehall.subsidy.material_files import material_response
from servicehall.subsidy.models import Material

from .. import serializers_subsidy as s
from ..presenters import case_detail_dict, case_dict, material_dict
from .common import validated

STATUS_CHOICES = {"in_progress": False, "concluded": True}
MATERIAL_EXAMPLE = {
    "id": "0b6f9a8e-2f0e-4d52-9d3b-7c1f0e1d2a3b",
    "original_name": "残疾人证.png",
    "content_type": "image/png",
    "size": 20480,
    "pages": None,
    "uploaded_at": "2026-09-02T10:00:00+08:00",
}
CASE_EXAMPLE = {
    "id": 12,
    "service": "求职创业补贴个人申报",
    "record_number": "2026090212345678",
    "state": "school_review",
    "state_display": "学校审核中",
    "concluded": False,
    "submitted_at": "2026-09-02T10:05:00+08:00",
}


class CaseListView(APIView):
    @extend_schema(
        tags=["我的办件"],
        summary="我的办件",
        responses={200: s.CaseSerializer(many=True)},
        parameters=[
            OpenApiParameter(
                "status",
                str,
                enum=list(STATUS_CHOICES),
                required=True,
                description="in_progress：办理中；concluded：已办结",
            )
        ],
        examples=[OpenApiExample("办理中", response_only=True, value=[CASE_EXAMPLE])],
    )
    def get(self, request):
        choice = request.query_params.get("status", "")
        if choice not in STATUS_CHOICES:
            raise drf.ValidationError(
                {"status": [_("请用 status 参数指明办件状态：in_progress（办理中）或 concluded（已办结）")]}
            )
        cases = selectors.case_list_for(request.user, concluded=STATUS_CHOICES[choice])
        return Response(s.CaseSerializer([case_dict(c) for c in cases], many=True).data)


class CaseDetailView(APIView):
    @extend_schema(
        tags=["我的办件"],
        summary="办件进度",
        responses={200: s.CaseDetailSerializer},
        description="申报提交、学校审核、学校公示、人社初审、人社复审、资金发放六步，每步的状态、时间、单位和意见。",
        examples=[
            OpenApiExample(
                "学校审核中",
                response_only=True,
                value={
                    **CASE_EXAMPLE,
                    "school": "南京大学",
                    "category": "残疾",
                    "can_withdraw": True,
                    "steps": [
                        {
                            "label": "申报提交",
                            "status": "done",
                            "note": "",
                            "events": [
                                {
                                    "action": "submit",
                                    "action_label": "提交申请",
                                    "organisation": None,
                                    "opinion": "",
                                    "at": "2026-09-02T10:05:00+08:00",
                                }
                            ],
                        },
                        {"label": "学校审核", "status": "current", "note": "", "events": []},
                    ],
                },
            )
        ],
    )
    def get(self, request, pk: int):
        application = selectors.application_get_for(request.user, pk)
        if application.state == ApplicationStatus.DRAFT:  # a draft is not a case yet
            raise NotFound
        return Response(s.CaseDetailSerializer(case_detail_dict(application)).data)


class CaseReceiptView(APIView):
    @extend_schema(
        tags=["我的办件"],
        summary="受理回执（PDF）",
        description="与网页“下载回执（PDF）”相同：申报编号、申请人和公民身份号码（均已脱敏）、学校、"
        "提交时间、当前状态，以及查看办理进度的二维码。草稿没有回执。",
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="回执 PDF")},
    )
    def get(self, request, pk: int):
        application = selectors.application_get_for(request.user, pk)
        if application.record_number is None:  # a draft has no receipt
            raise NotFound
        return receipt.download(request, application)


def _material(request, pk) -> Material:
    return selectors.material_get_for(request.user, pk)


class MaterialListView(APIView):
    parser_classes = [MultiPartParser]
    extra_error_codes = ("413", "429")

    @extend_schema(
        tags=["我的材料"],
        summary="我的材料",
        responses={200: s.MaterialSerializer(many=True)},
        examples=[OpenApiExample("一份", response_only=True, value=[MATERIAL_EXAMPLE])],
    )
    def get(self, request):
        materials = selectors.material_list_for(request.user)
        return Response(s.MaterialSerializer([material_dict(m) for m in materials], many=True).data)

    @extend_schema(
        tags=["我的材料"],
        summary="上传材料",
        request={"multipart/form-data": s.MaterialUploadSerializer},
        responses={201: s.MaterialSerializer},
        description="文件按内容检查（图片重新编码、去掉元数据；PDF 必须以 %PDF- 开头，"
        "不得含脚本、附件或网页代码；文件名的扩展名须与内容相符），加密保存。"
        "上传后用 applications/{id}/materials 添加到申请。"
        "每人保存的材料有上限（默认30个文件、合计100MB，已添加和未添加到申请的都算），"
        "超出返回 400（code=material_quota），可先删除不用的材料；"
        "每人每分钟最多上传10个（默认），超出返回 429（code=material_upload_rate）；"
        "请求体超过上限（默认21MB）不读取即返回 413（code=request_too_large）。",
        examples=[OpenApiExample("已上传", response_only=True, value=MATERIAL_EXAMPLE)],
    )
    def post(self, request):
        upload = validated(s.MaterialUploadSerializer, request)["file"]
        material = services.material_store(owner=request.user, upload=upload, field="file")
        return Response(s.MaterialSerializer(material_dict(material)).data, status=status.HTTP_201_CREATED)


class MaterialDetailView(APIView):
    @extend_schema(
        tags=["我的材料"],
        summary="材料信息",
        responses={200: s.MaterialSerializer},
        examples=[OpenApiExample("一份", response_only=True, value=MATERIAL_EXAMPLE)],
    )
    def get(self, request, pk):
        return Response(s.MaterialSerializer(material_dict(_material(request, pk))).data)


BINARY = OpenApiResponse(OpenApiTypes.BINARY, description="文件内容（本人的材料，解密后）")


class MaterialFileView(APIView):
    @extend_schema(
        tags=["我的材料"],
        summary="材料文件",
        responses={(200, "image/jpeg"): BINARY, (200, "image/png"): BINARY, (200, "application/pdf"): BINARY},
    )
    def get(self, request, pk):
        return material_response(_material(request, pk))
