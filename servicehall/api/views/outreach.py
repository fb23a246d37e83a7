"""政策找人 in the app: the person's invitations, 确认申请 and 不需要. Every rule is
outreach.services', the same the pages call."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from servicehall.outreach import selectors, services

from .. import serializers_outreach as s

TAG = "我的"
INVITATION = {
    "id": 3,
    "category": "城乡低保家庭",
    "reason": "民政城乡低保名单（2026-09-01 导入）中查到本人",
    "school": "南京大学",
    "closes_on": "2026-09-30",
    "state": "waiting",
    "card_ok": True,
    "card_problem": "",
    "application_id": None,
}


def _one(request, pk: int):
    """The person's own invitation; anyone else's is a 404 like a missing one."""
    return selectors.invitation_get_for(request.user, pk)


class InvitationListView(APIView):
    @extend_schema(
        tags=[TAG],
        summary="政策找人邀请",
        responses={200: s.InvitationSerializer(many=True)},
        description="学校名单和有关部门的名单比对出的、发给本人的求职创业补贴邀请，新的在前。"
        "列出即记为已查看，与网页打开邀请相同。",
        examples=[OpenApiExample("待确认", response_only=True, value=[INVITATION])],
    )
    def get(self, request):
        invitations = list(selectors.invitations_of(request.user).select_related("graduate__school"))
        for invitation in invitations:  # shown whole, as on the page: counted as opened (已查看)
            services.invitation_opened(user=request.user, invitation=invitation)
        rows = [selectors.invitation_view(invitation, request.user) for invitation in invitations]
        return Response(s.InvitationSerializer(rows, many=True).data)


class InvitationConfirmView(APIView):
    @extend_schema(
        tags=[TAG],
        summary="确认申请",
        request=None,
        responses={200: s.ConfirmedSerializer},
        description="用学校名单、比对名单和社会保障卡为本人填写申请（草稿），之后按 application 接口"
        "补充住址等信息并提交。没有可用社会保障卡的，返回 card_* 错误；已选择不需要的，返回 declined。",
        examples=[OpenApiExample("已填写", response_only=True, value={"application_id": 12})],
    )
    def post(self, request, pk: int):
        invitation = _one(request, pk)
        application = services.invitation_confirm(user=request.user, invitation=invitation)
        return Response(s.ConfirmedSerializer({"application_id": application.pk}).data)


class InvitationDeclineView(APIView):
    @extend_schema(
        tags=[TAG],
        summary="不需要",
        request=None,
        responses={200: s.InvitationSerializer},
        description="本毕业年度不再发送此邀请。已确认的不能再选择不需要（confirmed）。",
        examples=[OpenApiExample("不需要", response_only=True, value={**INVITATION, "state": "declined"})],
    )
    def post(self, request, pk: int):
        invitation = services.invitation_decline(user=request.user, invitation=_one(request, pk))
        return Response(
            s.InvitationSerializer(
                selectors.invitation_view(
                    selectors.invitation_get_for(request.user, invitation.pk), request.user
                )
            ).data
        )
