"""Shapes of 其他登录方式 and 账号绑定 in the app. Shape only: the rules are
accounts.provider_login's, the same the pages call."""

from rest_framework import serializers

from .fields import TextField


class ProviderSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="登录方式的代码，如 jszwfw、wechat、alipay")
    label = serializers.CharField(help_text="按钮上显示的名称")
    kind = serializers.CharField(help_text="oidc：OpenID Connect；wechat；alipay")
    issuer = serializers.CharField(help_text="OpenID Connect 的签发者（其 /.well-known/openid-configuration"
                                   " 给出授权地址）；其他类型为空")
    client_id = serializers.CharField(help_text="在该登录方式登记的客户端标识")
    scope = serializers.CharField(help_text="授权时请求的范围")
    redirect_uri = serializers.CharField(help_text="APP接收授权码的回调地址（授权时必须使用它）")


class ProviderCodeSerializer(serializers.Serializer):
    provider = TextField(max_length=32, help_text="登录方式的代码")
    code = TextField(max_length=512, help_text="回调地址收到的授权码")
    code_verifier = TextField(max_length=128, min_length=43, help_text="PKCE 的 code_verifier（S256）")
    nonce = TextField(max_length=200, min_length=8, help_text="授权时传给登录方式的 nonce")


class ProviderNextStepSerializer(serializers.Serializer):
    next_step = serializers.ChoiceField(
        choices=["sms", "account"],
        help_text="sms：向已有账号的手机发送验证码确认（auth/provider/sms-code、auth/provider/confirm）；"
        "account：用账号密码登录一次以绑定（auth/provider/bind），或注册（auth/register 带 provider_ticket）",
    )
    ticket = serializers.CharField(help_text="下一步使用的凭据，15分钟内有效，只能使用一次")
    provider_label = serializers.CharField()
    name = serializers.CharField(help_text="登录方式提供的姓名")
    masked_id_number = serializers.CharField(help_text="登录方式核验的证件号码（已遮挡）；没有则为空")
    masked_mobile = serializers.CharField(help_text="next_step=sms 时，接收验证码的手机号码（已遮挡）")


class ProviderTicketSerializer(serializers.Serializer):
    ticket = TextField(max_length=100)


class ProviderConfirmSerializer(ProviderTicketSerializer):
    sms_code = TextField(max_length=6, help_text="auth/provider/sms-code 发送的短信验证码")


class ProviderBindByPasswordSerializer(ProviderTicketSerializer):
    identifier = TextField(max_length=64, help_text="证件号码或移动电话")
    password = TextField(max_length=64, trim_whitespace=False)


class BindingSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    bound_at = serializers.DateTimeField(allow_null=True, help_text="绑定时间；未绑定为 null")
    last_login_at = serializers.DateTimeField(allow_null=True)
    may_unbind = serializers.BooleanField(help_text="是否可以解绑（唯一的登录方式不能解绑）")
