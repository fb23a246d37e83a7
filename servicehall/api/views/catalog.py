"""服务: categories (the phone's 服务 tab), listings by category, search, 办事指南, 收藏, and the
reference lists the application form needs (regions, schools). Open to everyone; 收藏 needs
a login."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers as drf
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from servicehall.catalog import selectors as catalog
from servicehall.catalog import services as catalog_services
from servicehall.catalog.models import Serves, Service
from servicehall.reference import selectors as reference

from .. import serializers as s

TAG = "服务"
SCHOOL_LIMIT = 50
SUBSIDY_BRIEF = {
    "code": "job-seeking-subsidy",
    "name": "求职创业补贴个人申报",
    "summary": "…",
    "kind": "handling",
    "channel": "online",
    "channel_display": "本大厅网上办理",
    "is_online": True,
    "is_favourite": False,
    "matched": True,
}


def _service_or_404(code: str) -> Service:
    try:
        return catalog.service_get_public(code[:50])
    except Service.DoesNotExist:
        raise NotFound from None


def _context(request, **extra) -> dict:
    return {"favourite_codes": catalog.favourite_codes_for(request.user), **extra}


def _text_param(request, name: str, max_length: int, *, required: bool = False) -> str:
    if required and name not in request.query_params:
        raise drf.ValidationError({name: [drf.Field.default_error_messages["required"]]})
    value = request.query_params.get(name, "").replace("\x00", "")  # NUL is no character of a name
    # Not trimmed before the length is checked: the schema's maxLength counts every character.
    field = drf.CharField(max_length=max_length, allow_blank=True, required=False, trim_whitespace=False)
    try:
        return field.run_validation(value)
    except drf.ValidationError as error:
        raise drf.ValidationError({name: error.detail}) from None


def _text(max_length: int) -> dict:
    """A query parameter's schema: text of at most max_length characters (_text_param's limit)."""
    return {"type": "string", "maxLength": max_length}


class CategoryListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=[TAG],
        summary="服务分类",
        responses={200: s.CategorySerializer(many=True)},
        description="手机【服务】页的分类（就业、社保……）。",
        examples=[
            OpenApiExample(
                "就业",
                response_only=True,
                value=[{"code": "employment", "name": "就业创业", "short_name": "就业"}],
            )
        ],
    )
    def get(self, request):
        return Response(s.CategorySerializer(catalog.category_list(), many=True).data)


class ServiceListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=[TAG],
        summary="个人办事：按分类列出服务",
        responses={200: s.GroupSerializer(many=True)},
        parameters=[
            OpenApiParameter("category", _text(50), description="分类代码，如 employment；不填则全部")
        ],
        description="按分组（如“就业补贴”）列出面向个人的服务。",
        examples=[
            OpenApiExample(
                "就业补贴",
                response_only=True,
                value=[
                    {
                        "code": "employment-subsidy",
                        "name": "就业补贴",
                        "category": "employment",
                        "services": [{**SUBSIDY_BRIEF, "matched": False}],
                    }
                ],
            )
        ],
    )
    def get(self, request):
        category = _text_param(request, "category", 50)
        groups = catalog.catalog_listing(serves=Serves.PERSON, category=category or None)
        return Response(s.GroupSerializer(groups, many=True, context=_context(request)).data)


class ServiceSearchView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=[TAG],
        summary="搜索服务",
        responses={200: s.SearchResultSerializer},
        parameters=[
            OpenApiParameter("q", _text(100), required=True, description="如“求职创业补贴”、拼音 qzcy")
        ],
        description="与网页搜索相同：包含匹配项的分组整组列出，匹配项 matched=true。",
        examples=[
            OpenApiExample(
                "求职创业补贴",
                response_only=True,
                value={
                    "query": "求职创业补贴",
                    "count": 1,
                    "suggestions": [],
                    "groups": [
                        {
                            "code": "employment-subsidy",
                            "name": "就业补贴",
                            "category": "employment",
                            "services": [SUBSIDY_BRIEF],
                        }
                    ],
                },
            )
        ],
    )
    def get(self, request):
        query = _text_param(request, "q", 100, required=True)
        result = catalog.service_search(query, serves=Serves.PERSON)
        matched = {code for listing in result.groups for code in listing.matched}
        body = {
            "query": result.query,
            "count": result.count,
            "groups": result.groups,
            "suggestions": result.suggestions,
        }
        context = _context(request, matched_codes=matched)
        return Response(s.SearchResultSerializer(body, context=context).data)


class ServiceGuideView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=[TAG],
        summary="办事指南",
        responses={200: s.ServiceGuideSerializer},
        description="受理条件、办理流程、申请材料、常见问题等；计入热门服务的访问量。",
        examples=[
            OpenApiExample(
                "求职创业补贴",
                response_only=True,
                value={
                    **SUBSIDY_BRIEF,
                    "group": "就业补贴",
                    "category": "就业创业",
                    "channel_note": "",
                    "implementing_body": "县级以上人力资源社会保障部门",
                    "conditions": ["毕业学年内的困难毕业生"],
                    "flow": ["个人申报", "学校审核", "学校公示", "人社初审", "人社复审", "资金发放"],
                    "time_limit": "…",
                    "fee": "不收费",
                    "legal_basis": ["苏人社发〔2019〕198号"],
                    "application_period": "毕业学年9月1日至9月30日",
                    "phone": "12333",
                    "materials": [{"applies_to": "残疾", "name": "中华人民共和国残疾人证", "note": ""}],
                    "questions": [{"question": "补贴发到哪里？", "answer": "本人社会保障卡的金融账户。"}],
                },
            )
        ],
    )
    def get(self, request, code: str):
        service = _service_or_404(code)
        catalog_services.service_visit_record(service=service)
        return Response(s.ServiceGuideSerializer(service, context=_context(request)).data)


class FavouriteListView(APIView):
    @extend_schema(
        tags=[TAG],
        summary="我的收藏",
        responses={200: s.ServiceBriefSerializer(many=True)},
        examples=[
            OpenApiExample(
                "一项", response_only=True, value=[{**SUBSIDY_BRIEF, "is_favourite": True, "matched": False}]
            )
        ],
    )
    def get(self, request):
        services = [favourite.service for favourite in catalog.favourite_list_for(request.user)]
        return Response(s.ServiceBriefSerializer(services, many=True, context=_context(request)).data)


class FavouriteView(APIView):
    @extend_schema(
        tags=[TAG],
        summary="收藏",
        request=None,
        responses={200: s.ServiceBriefSerializer},
        examples=[
            OpenApiExample(
                "已收藏", response_only=True, value={**SUBSIDY_BRIEF, "is_favourite": True, "matched": False}
            )
        ],
    )
    def put(self, request, code: str):
        service = _service_or_404(code)
        catalog_services.favourite_add(user=request.user, service=service)
        return Response(s.ServiceBriefSerializer(service, context=_context(request)).data)

    @extend_schema(tags=[TAG], summary="取消收藏", responses={204: None})
    def delete(self, request, code: str):
        catalog_services.favourite_remove(user=request.user, service=_service_or_404(code))
        return Response(status=status.HTTP_204_NO_CONTENT)


class RegionListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["基础数据"],
        summary="行政区划",
        responses={200: s.RegionSerializer(many=True)},
        parameters=[OpenApiParameter("parent", _text(6), description="上级区划代码（6位）；不填则列出省")],
        description="户籍区划、常住区划逐级选择：省 → 市 → 区县；has_children=false 时已选到最深一级。",
        examples=[
            OpenApiExample(
                "江苏省的市",
                response_only=True,
                value=[{"code": "320100", "name": "南京市", "level": "prefecture", "has_children": True}],
            )
        ],
    )
    def get(self, request):
        parent = _text_param(request, "parent", 6)
        regions = list(reference.region_children(parent) if parent else reference.province_list())
        parents = reference.regions_with_children(regions)
        return Response(s.RegionSerializer(regions, many=True, context={"parents": parents}).data)


class SchoolListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["基础数据"],
        summary="毕业学校",
        responses={200: s.SchoolSerializer(many=True)},
        parameters=[
            OpenApiParameter("q", _text(50), description="学校名称中的字"),
            OpenApiParameter("city", _text(6), description="所在市的区划代码，如 320100"),
        ],
        description=f"最多{SCHOOL_LIMIT}所，有标识码的在前。",
        examples=[
            OpenApiExample(
                "南京大学",
                response_only=True,
                value=[{"id": 1, "name": "南京大学", "code": "4132010284", "region": "320113"}],
            )
        ],
    )
    def get(self, request):
        schools = reference.school_list_active(
            city_code=_text_param(request, "city", 6), name=_text_param(request, "q", 50)
        )[:SCHOOL_LIMIT]
        return Response(s.SchoolSerializer(schools, many=True).data)
