"""Shapes of the account, card, catalog and message endpoints. Serializers check shape only;
the rules live in the services and forms the web pages use."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from servicehall.accounts.models import IdType
from servicehall.messaging.models import CodePurpose

from .fields import FlagField, TextField

# --- Logging in -------------------------------------------------------------------------------


class SmsCodeRequestSerializer(serializers.Serializer):
    mobile = TextField(max_length=20, help_text="11位手机号码")
    purpose = serializers.ChoiceField(
        choices=[(CodePurpose.REGISTER, _("注册")), (CodePurpose.LOGIN, _("登录"))],
        help_text="register：注册；login：手机动态码登录",
    )


class SmsCodeSentSerializer(serializers.Serializer):
    message = TextField()
    seconds = serializers.IntegerField(help_text="多少秒后可以重新获取")


class RegisterSerializer(serializers.Serializer):
    id_type = serializers.ChoiceField(choices=IdType.choices, default=IdType.RESIDENT)
    id_number = TextField(max_length=40)
    name = TextField(max_length=30)
    mobile = TextField(max_length=20)
    password = TextField(
        max_length=64, trim_whitespace=False, help_text="8-20位，数字、大小写字母、特殊字符中的三种或以上"
    )
    password_confirm = TextField(max_length=64, trim_whitespace=False)
    sms_code = TextField(max_length=6, help_text="purpose=register 的短信验证码")
    agree = FlagField(help_text="已阅读并同意《个人用户注册协议》")
    provider_ticket = TextField(
        max_length=100, required=False,
        help_text="从其他登录方式注册时（auth/login/provider 返回 next_step=account）的 ticket：注册后即绑定",
    )


class PasswordLoginSerializer(serializers.Serializer):
    identifier = TextField(max_length=64, help_text="证件号码或移动电话")
    password = TextField(max_length=64, trim_whitespace=False)


class SmsLoginSerializer(serializers.Serializer):
    mobile = TextField(max_length=20)
    sms_code = TextField(max_length=6, help_text="purpose=login 的短信验证码")


class RefreshSerializer(serializers.Serializer):
    refresh = TextField(max_length=200)


class QrTokenSerializer(serializers.Serializer):
    token = TextField(
        max_length=64, help_text="电脑上二维码里的令牌（二维码地址 /accounts/qr/<令牌>/）"
    )


class QrDecisionSerializer(QrTokenSerializer):
    confirm = FlagField(help_text="true：确认在电脑上登录；false：拒绝")


class MessageSerializer(serializers.Serializer):
    message = serializers.CharField()


# --- 我的 -------------------------------------------------------------------------------------


class ProfileSerializer(serializers.Serializer):
    """我的信息: masked, as the page shows it (it is often read on a shared screen)."""

    name = serializers.CharField()
    masked_name = serializers.CharField()
    id_type = serializers.CharField()
    id_type_display = serializers.CharField(source="get_id_type_display")
    masked_id_number = serializers.CharField()
    masked_mobile = serializers.CharField()
    gender = serializers.CharField()
    gender_display = serializers.CharField(source="get_gender_display")
    birth_date = serializers.DateField(allow_null=True)
    date_joined = serializers.DateTimeField()


class TokenPairSerializer(serializers.Serializer):
    token_type = serializers.CharField(default="Bearer")
    access = serializers.CharField()
    access_expires_at = serializers.DateTimeField()
    refresh = serializers.CharField()
    refresh_expires_at = serializers.DateTimeField()
    user = ProfileSerializer()


class CardSerializer(serializers.Serializer):
    masked_name = serializers.CharField()
    masked_card_number = serializers.CharField()
    generation = serializers.IntegerField()
    generation_display = serializers.CharField(source="get_generation_display")
    bank = serializers.CharField(source="bank.name")
    masked_account = serializers.CharField()
    financial_active = serializers.BooleanField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    issued_on = serializers.DateField()


class MyCardSerializer(serializers.Serializer):
    """电子社保卡."""

    usable_for_payment = serializers.BooleanField()
    problem = serializers.CharField(
        allow_null=True, help_text="no_card、financial_inactive、lost、cancelled 或 null"
    )
    help = serializers.CharField(help_text="有问题时，办理步骤（与网页相同的文字）")
    card = CardSerializer(allow_null=True)
    verify_url = serializers.CharField(help_text="核验二维码的内容；卡正常时才有")
    verify_minutes = serializers.IntegerField(help_text="核验地址的有效分钟数")


class SiteMessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    link = serializers.CharField(help_text="大厅内的相关页面路径，可为空")
    created_at = serializers.DateTimeField()
    is_read = serializers.BooleanField()


class SiteMessageDetailSerializer(SiteMessageSerializer):
    body = serializers.CharField()
    read_at = serializers.DateTimeField(allow_null=True)


class SiteMessagePageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    unread = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = SiteMessageSerializer(many=True)


class ReadAllSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="本次标为已读的条数")


# --- 服务 -------------------------------------------------------------------------------------


class CategorySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    short_name = serializers.CharField()


class ServiceBriefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    summary = serializers.CharField()
    kind = serializers.CharField()
    channel = serializers.CharField()
    channel_display = serializers.CharField(source="get_channel_display")
    is_online = serializers.BooleanField(help_text="true：可在本大厅（和应用）申报")
    is_favourite = serializers.SerializerMethodField()
    matched = serializers.SerializerMethodField(help_text="搜索结果中是否为匹配项")

    def get_is_favourite(self, service) -> bool:
        return service.code in self.context.get("favourite_codes", ())

    def get_matched(self, service) -> bool:
        return service.code in self.context.get("matched_codes", ())


class GroupSerializer(serializers.Serializer):
    code = serializers.CharField(source="group.code")
    name = serializers.CharField(source="group.name")
    category = serializers.CharField(source="group.category_id")
    services = ServiceBriefSerializer(many=True)


class SearchResultSerializer(serializers.Serializer):
    query = serializers.CharField()
    count = serializers.IntegerField()
    groups = GroupSerializer(many=True)
    suggestions = ServiceBriefSerializer(many=True, help_text="没有匹配时：相近的服务或热门服务")


class GuideMaterialSerializer(serializers.Serializer):
    applies_to = serializers.CharField()
    name = serializers.CharField()
    note = serializers.CharField()


class GuideQuestionSerializer(serializers.Serializer):
    question = serializers.CharField()
    answer = serializers.CharField()


class ServiceGuideSerializer(ServiceBriefSerializer):
    """办事指南."""

    group = serializers.CharField(source="group.name")
    category = serializers.CharField(source="group.category.name")
    channel_note = serializers.CharField()
    implementing_body = serializers.CharField()
    conditions = serializers.ListField(source="condition_list", child=serializers.CharField())
    flow = serializers.ListField(source="flow_steps", child=serializers.CharField())
    time_limit = serializers.CharField()
    fee = serializers.CharField()
    legal_basis = serializers.ListField(source="legal_basis_list", child=serializers.CharField())
    application_period = serializers.CharField()
    phone = serializers.CharField()
    materials = GuideMaterialSerializer(many=True, source="materials.all")
    questions = GuideQuestionSerializer(many=True, source="questions.all")


class RegionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()
    has_children = serializers.SerializerMethodField()

    def get_has_children(self, region) -> bool:
        return region.code in self.context.get("parents", ())


class SchoolSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    code = serializers.CharField()
    region = serializers.CharField(source="region_id", allow_null=True)
