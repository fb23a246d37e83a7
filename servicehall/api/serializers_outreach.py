"""Shapes of 政策找人 in the app. Shape only: the rules are outreach.services', the same the
pages call, and what an invitation shows is outreach.selectors.invitation_view."""

from rest_framework import serializers

from servicehall.outreach.selectors import INVITATION_STATES


class InvitationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    category = serializers.CharField(help_text="可能符合的毕业生类型")
    reason = serializers.CharField(help_text="比对依据：与申请数据比对相同的句子")
    school = serializers.CharField(help_text="学校名单所在学校")
    closes_on = serializers.DateField(help_text="确认截止（申报期最后一天）")
    state = serializers.ChoiceField(
        choices=INVITATION_STATES,
        help_text="waiting：待确认；confirmed：已确认（见 application_id）；declined：不需要；"
        "expired：已随申报期失效",
    )
    card_ok = serializers.BooleanField(help_text="补贴能否发放到本人的社会保障卡；否时先办卡（card_problem）")
    card_problem = serializers.CharField(
        help_text="no_card、financial_inactive、lost、cancelled，或空：与 me/card 的说明相同"
    )
    application_id = serializers.IntegerField(allow_null=True, help_text="确认后由邀请填写的申请")


class ConfirmedSerializer(serializers.Serializer):
    application_id = serializers.IntegerField(
        help_text="已填好的申请（草稿）：补充住址等信息、勾选承诺后提交"
    )
