"""注册, the two ways to log in (账号密码, 手机动态码), refresh, 退出, 退出所有设备, and 扫码登录 confirmed on
the phone. Every rule is the accounts app's: its forms check shape, its services the rest."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from servicehall.accounts import provider_login
from servicehall.accounts import services as accounts
from servicehall.accounts.forms import RegisterForm
from servicehall.accounts.sessions import account_sign_out_everywhere
from servicehall.core.http import client_ip
from servicehall.core.masking import mask_mobile

from .. import serializers as s
from ..throttles import LoginThrottle
from ..tokens import token_issue, token_refresh, token_revoke
from .common import raise_form_errors, validated

TAG = "登录注册"
ID_NUMBER = "320102200403150038"
TOKENS_EXAMPLE = OpenApiExample(
    "登录成功",
    value={
        "token_type": "Bearer",
        "access": "q5U0…",
        "access_expires_at": "2026-09-01T10:30:00+08:00",
        "refresh": "vX8a…",
        "refresh_expires_at": "2026-09-15T10:00:00+08:00",
        "user": {
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
    },
    response_only=True,
)


def tokens_response(issued, *, status_code=status.HTTP_200_OK) -> Response:
    body = {
        "token_type": "Bearer",
        "access": issued.access,
        "access_expires_at": issued.access_expires_at,
        "refresh": issued.refresh,
        "refresh_expires_at": issued.refresh_expires_at,
        "user": issued.row.user,
    }
    response = Response(s.TokenPairSerializer(body).data, status=status_code)
    response["Cache-Control"] = "no-store"
    return response


class SmsCodeView(APIView):
    permission_classes = [AllowAny]
    # Limited by accounts.sms_code_request, the same limiter as the pages' 获取验证码.
    throttle_classes = []

    @extend_schema(
        tags=[TAG],
        summary="获取验证码",
        request=s.SmsCodeRequestSerializer,
        responses={200: s.SmsCodeSentSerializer},
        description="发送6位短信验证码，5分钟内有效；同一号码同一用途60秒内只能获取一次，每天最多10次；"
        "同一网络地址或同一号码每分钟最多请求5次。无论号码是否已注册，回答都相同：无法继续的号码"
        "（如为未注册号码获取登录验证码）收到说明短信而不是验证码。",
        examples=[
            OpenApiExample("注册", value={"mobile": "13800000001", "purpose": "register"}, request_only=True),
            OpenApiExample(
                "已发送",
                value={"message": "验证码已发送至138****0001，请注意查收；60秒后可重新获取", "seconds": 60},
                response_only=True,
            ),
        ],
    )
    def post(self, request):
        data = validated(s.SmsCodeRequestSerializer, request)
        seconds = accounts.sms_code_request(
            mobile=data["mobile"],
            purpose=data["purpose"],
            client_address=client_ip(request._request),
            actor=request.user,
        )
        text = _("验证码已发送至{mobile}，请注意查收；{seconds}秒后可重新获取").format(
            mobile=mask_mobile(data["mobile"].strip()), seconds=seconds
        )
        return Response({"message": text, "seconds": seconds})


class RegisterView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [LoginThrottle]

    @extend_schema(
        tags=[TAG],
        summary="注册",
        request=s.RegisterSerializer,
        responses={201: s.TokenPairSerializer},
        description="与网页【立即注册】相同的规则；注册成功即登录，返回令牌。",
        examples=[
            OpenApiExample(
                "注册",
                request_only=True,
                value={
                    "id_type": "resident",
                    "id_number": ID_NUMBER,
                    "name": "张晓明",
                    "mobile": "13800000001",
                    "password": "Good#Pass2026",
                    "password_confirm": "Good#Pass2026",
                    "sms_code": "123456",
                    "agree": True,
                },
            ),
            TOKENS_EXAMPLE,
        ],
    )
    def post(self, request):
        data = validated(s.RegisterSerializer, request)
        form = RegisterForm({**data, "agree": "on" if data["agree"] else ""})
        raise_form_errors(form)
        clean = form.cleaned_data
        names = ("id_type", "id_number", "name", "mobile", "password", "sms_code")
        fields = {key: clean[key] for key in names}
        fields["client_address"] = client_ip(request._request)
        if data.get("provider_ticket"):  # 其他登录方式 → 注册: bound once registered
            user = provider_login.provider_register(ticket=data["provider_ticket"], **fields)
        else:
            user = accounts.person_register(**fields)
        return tokens_response(
            token_issue(user=user, method="register", client_address=client_ip(request._request)),
            status_code=status.HTTP_201_CREATED,
        )


class PasswordLoginView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [LoginThrottle]

    @extend_schema(
        tags=[TAG],
        summary="账号密码登录",
        request=s.PasswordLoginSerializer,
        responses={200: s.TokenPairSerializer},
        description="证件号码或移动电话加密码。连续5次错误账号锁定15分钟（429，code=login_locked）。",
        examples=[
            OpenApiExample(
                "证件号码登录",
                value={"identifier": ID_NUMBER, "password": "Good#Pass2026"},
                request_only=True,
            ),
            TOKENS_EXAMPLE,
        ],
    )
    def post(self, request):
        data = validated(s.PasswordLoginSerializer, request)
        user = accounts.login_by_password(
            request=request._request, identifier=data["identifier"], password=data["password"]
        )
        return tokens_response(
            token_issue(user=user, method="password", client_address=client_ip(request._request))
        )


class SmsLoginView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [LoginThrottle]

    @extend_schema(
        tags=[TAG],
        summary="手机动态码登录",
        request=s.SmsLoginSerializer,
        responses={200: s.TokenPairSerializer},
        description="先用 auth/sms-code（purpose=login）获取验证码。",
        examples=[
            OpenApiExample(
                "动态码登录", value={"mobile": "13800000001", "sms_code": "123456"}, request_only=True
            ),
            TOKENS_EXAMPLE,
        ],
    )
    def post(self, request):
        data = validated(s.SmsLoginSerializer, request)
        user = accounts.person_login_by_sms(
            mobile=data["mobile"], sms_code=data["sms_code"], client_address=client_ip(request._request)
        )
        return tokens_response(
            token_issue(user=user, method="sms", client_address=client_ip(request._request))
        )


class RefreshView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [LoginThrottle]

    @extend_schema(
        tags=[TAG],
        summary="刷新令牌",
        request=s.RefreshSerializer,
        responses={200: s.TokenPairSerializer},
        description="用 refresh 换一对新令牌；旧的一对随即失效。"
        "同一个 refresh 用第二次，这次登录（及由它刷新得到的全部令牌）都会注销；其他登录不受影响。",
        examples=[OpenApiExample("刷新", value={"refresh": "vX8a…"}, request_only=True), TOKENS_EXAMPLE],
    )
    def post(self, request):
        data = validated(s.RefreshSerializer, request)
        return tokens_response(
            token_refresh(refresh=data["refresh"], client_address=client_ip(request._request))
        )


class LogoutView(APIView):
    @extend_schema(
        tags=[TAG],
        summary="退出",
        request=None,
        responses={204: None},
        description="注销当前令牌（access 和 refresh 一起）。",
    )
    def post(self, request):
        token_revoke(token=request.auth, client_address=client_ip(request._request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllView(APIView):
    @extend_schema(
        tags=[TAG],
        summary="退出所有设备",
        request=None,
        responses={204: None},
        description="注销该账号的全部令牌（所有手机上的APP，包括当前这一对）并结束全部网页登录。"
        "修改密码、找回密码、更换手机号码后也会这样。",
    )
    def post(self, request):
        account_sign_out_everywhere(
            user=request.user,
            reason="user_request",
            actor=request.user,
            client_address=client_ip(request._request),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class QrCheckView(APIView):
    @extend_schema(
        tags=[TAG],
        summary="扫码登录：检查二维码",
        request=s.QrTokenSerializer,
        responses={200: s.MessageSerializer},
        description="手机扫描电脑上的二维码后，先检查它是否仍然有效，再请用户确认。",
        examples=[
            OpenApiExample("二维码", value={"token": "o1bC…"}, request_only=True),
            OpenApiExample("有效", value={"message": "确认在电脑上登录？"}, response_only=True),
        ],
    )
    def post(self, request):
        data = validated(s.QrTokenSerializer, request)
        accounts.qr_token_check(token=data["token"])
        return Response({"message": _("确认在电脑上登录？")})


class QrDecideView(APIView):
    @extend_schema(
        tags=[TAG],
        summary="扫码登录：确认或拒绝",
        request=s.QrDecisionSerializer,
        responses={200: s.MessageSerializer},
        description="确认后，电脑上的页面随即以当前用户登录。",
        examples=[
            OpenApiExample("确认", value={"token": "o1bC…", "confirm": True}, request_only=True),
            OpenApiExample(
                "已确认", value={"message": "已确认，电脑上的页面将自动登录。"}, response_only=True
            ),
        ],
    )
    def post(self, request):
        data = validated(s.QrDecisionSerializer, request)
        accounts.qr_token_decide(
            actor=request.user,
            token=data["token"],
            confirm=data["confirm"],
            client_address=client_ip(request._request),
        )
        text = (
            _("已确认，电脑上的页面将自动登录。") if data["confirm"] else _("已取消，本次电脑登录不会进行。")
        )
        return Response({"message": text})
