"""我的: 我的信息, 电子社保卡 and 我的消息, read through the same selectors as the pages."""

import math
import re

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import strip_tags
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers as drf
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from servicehall.cards import selectors as cards
from servicehall.cards.models import SocialSecurityCard
from servicehall.core.errors import DomainError
from servicehall.messaging import selectors as inbox
from servicehall.messaging import services as messaging
from servicehall.messaging.models import SiteMessage

from .. import serializers as s

TAG = "我的"
PAGE_SIZE = 20
MAX_PAGE = 100000


class ProfileView(APIView):
    @extend_schema(
        tags=[TAG],
        summary="我的信息",
        responses={200: s.ProfileSerializer},
        description="证件号码和手机号码带掩码，与网页“我的信息”一致。",
        examples=[
            OpenApiExample(
                "我的信息",
                response_only=True,
                value={
                    "name": "张晓明",
                    "masked_name": "张*明",
                    "id_type": "resident",
                    "id_type_display": "居民身份证",
                    "masked_id_number": "3201**********0038",
                    "masked_mobile": "138****0001",
                    "gender": "M",
                    "gender_display": "男",
                    "birth_date": "2004-03-15",
                    "date_joined": "2026-08-30T09:00:00+08:00",
                },
            )
        ],
    )
    def get(self, request):
        return Response(s.ProfileSerializer(request.user).data)


def _card_help(problem, card) -> str:
    """The card help the pages show (cards/_card_help.html), as plain text."""
    if not problem:
        return ""
    html = render_to_string("cards/_card_help.html", {"problem": problem, "card": card})
    return re.sub(r"\s+", " ", strip_tags(html)).strip()


class MyCardView(APIView):
    @extend_schema(
        tags=[TAG],
        summary="电子社保卡",
        responses={200: s.MyCardSerializer},
        description="本人社会保障卡（带掩码）与核验二维码的地址；"
        "没有可用的卡时，problem 和 help 说明怎样办理。",
        examples=[
            OpenApiExample(
                "正常",
                response_only=True,
                value={
                    "usable_for_payment": True,
                    "problem": None,
                    "help": "",
                    "card": {
                        "masked_name": "张*明",
                        "masked_card_number": "A1******8",
                        "generation": 3,
                        "generation_display": "第三代",
                        "bank": "中国工商银行",
                        "masked_account": "6222 **** **** 1234",
                        "financial_active": True,
                        "status": "normal",
                        "status_display": "正常",
                        "issued_on": "2024-09-01",
                    },
                    "verify_url": "https://hall.example/cards/verify/eyJj…/",
                    "verify_minutes": 10,
                },
            )
        ],
    )
    def get(self, request):
        status = cards.card_payment_status(request.user)
        card = status.card
        verify_url = ""
        if card is not None and card.status == SocialSecurityCard.Status.NORMAL:
            token = cards.verify_token_for(card)
            verify_url = request.build_absolute_uri(reverse("cards:verify", args=[token]))
        return Response(
            s.MyCardSerializer(
                {
                    "usable_for_payment": status.ok,
                    "problem": status.problem,
                    "help": _card_help(status.problem, card),
                    "card": card,
                    "verify_url": verify_url,
                    "verify_minutes": int(cards.VERIFY_LIFETIME.total_seconds() // 60),
                }
            ).data
        )


class MessageListView(APIView):
    @extend_schema(
        tags=[TAG],
        summary="我的消息",
        responses={200: s.SiteMessagePageSerializer},
        operation_id="messages_list",
        parameters=[
            OpenApiParameter(
                "page",
                {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
                description="页码，从1开始；每页20条",
            )
        ],
        description="最新的在前。",
        examples=[
            OpenApiExample(
                "一条未读",
                response_only=True,
                value={
                    "count": 1,
                    "unread": 1,
                    "page": 1,
                    "pages": 1,
                    "results": [
                        {
                            "id": 7,
                            "title": "申请已退回修改",
                            "link": "/subsidy/cases/12/",
                            "created_at": "2026-09-05T10:00:00+08:00",
                            "is_read": False,
                        }
                    ],
                },
            )
        ],
    )
    def get(self, request):
        field = drf.IntegerField(min_value=1, max_value=MAX_PAGE, required=False)
        raw = request.query_params.get("page")
        try:
            number = field.run_validation(raw) if raw is not None else 1  # "page=" is no number
        except drf.ValidationError as error:
            raise drf.ValidationError({"page": error.detail}) from None
        messages = inbox.site_message_list_for(request.user)
        count = messages.count()
        pages = max(1, math.ceil(count / PAGE_SIZE))
        rows = messages[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
        return Response(
            s.SiteMessagePageSerializer(
                {
                    "count": count,
                    "unread": inbox.unread_count(request.user),
                    "page": number,
                    "pages": pages,
                    "results": rows,
                }
            ).data
        )


class MessageDetailView(APIView):
    @extend_schema(
        tags=[TAG],
        summary="消息详情",
        responses={200: s.SiteMessageDetailSerializer},
        description="打开即标为已读。别人的消息与不存在的消息一样，返回404。",
        examples=[
            OpenApiExample(
                "已读",
                response_only=True,
                value={
                    "id": 7,
                    "title": "申请已退回修改",
                    "body": "请补充院系全称",
                    "link": "/subsidy/cases/12/",
                    "created_at": "2026-09-05T10:00:00+08:00",
                    "is_read": True,
                    "read_at": "2026-09-05T10:20:00+08:00",
                },
            )
        ],
    )
    def get(self, request, pk: int):
        try:
            message = inbox.site_message_get_for(request.user, pk)
        except SiteMessage.DoesNotExist:
            raise NotFound from None
        messaging.site_message_read(user=request.user, message=message)
        try:
            link = messaging.site_link_clean(message.link)
        except DomainError:
            link = ""
        data = s.SiteMessageDetailSerializer(message).data
        return Response({**data, "link": link})


class MessageReadAllView(APIView):
    @extend_schema(
        tags=[TAG],
        summary="全部标为已读",
        request=None,
        responses={200: s.ReadAllSerializer},
        examples=[OpenApiExample("结果", value={"count": 3}, response_only=True)],
    )
    def post(self, request):
        return Response({"count": messaging.site_messages_read_all(user=request.user)})
