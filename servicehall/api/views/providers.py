"""其他登录方式 and 账号绑定 in the app: the app sends the person to the provider itself (with its
own state, PKCE verifier and nonce) and hands the hall the code. Every rule is
accounts.provider_login's, the same the pages call."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from servicehall.accounts import provider_login as flows
from servicehall.accounts.providers import providers_configured, providers_for_app
from servicehall.accounts.selectors import provider_bindings_of
from servicehall.core.http import client_ip

from .. import serializers_providers as s
from ..serializers import MessageSerializer, TokenPairSerializer
from ..throttles import LoginThrottle
from ..tokens import token_issue
from .auth import TOKENS_EXAMPLE, tokens_response
from .common import validated

TAG = "登录注册"
BINDINGS_TAG = "我的"
CODE_EXAMPLE = OpenApiExample("授权码", request_only=True, value={
    "provider": "jszwfw", "code": "Zm9vYmFy…", "code_verifier": "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
    "nonce": "n-0S6_WzA2Mj"})


def _logged_in(request, user) -> Response:
    address = client_ip(request._request)
    return tokens_response(token_issue(user=user, method="provider", client_address=address))


def _next_step(outcome) -> Response:
    view = flows.provider_ticket_summary(outcome.ticket)
    body = {"next_step": outcome.next_step, "ticket": outcome.ticket, "provider_label": view.provider_label,
            "name": view.name, "masked_id_number": view.masked_id_number, "masked_mobile": view.masked_mobile}
    response = Response(s.ProviderNextStepSerializer(body).data, status=status.HTTP_202_ACCEPTED)
    response["Cache-Control"] = "no-store"
    return response


class ProviderListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(tags=[TAG], summary="其他登录方式", responses={200: s.ProviderSerializer(many=True)},
                   description="APP可用的其他登录方式（未配置的不列出）。APP用其中的 client_id、scope、"
                   "redirect_uri，以授权码方式（PKCE S256，带 state 和 nonce）请用户在该登录方式授权，"
                   "再把收到的授权码交给 auth/login/provider。",
                   examples=[OpenApiExample("统一身份认证", response_only=True, value=[{
                       "key": "jszwfw", "label": "江苏政务服务网", "kind": "oidc",
                       "issuer": "https://sso.example.gov.cn", "client_id": "servicehall-app",
                       "scope": "openid profile phone idcard", "redirect_uri": "cn.gov.js.hrss:/oauth"}])])
    def get(self, request):
        rows = [{"key": p.key, "label": p.label, "kind": p.kind,
                 "issuer": p.config.get("issuer", "") if p.kind == "oidc" else "",
                 "client_id": p.config["client_id"], "scope": p.config.get("scopes", ""),
                 "redirect_uri": p.config["app_redirect_uri"]} for p in providers_for_app()]
        return Response(s.ProviderSerializer(rows, many=True).data)


class ProviderLoginView(APIView):
    extra_error_codes = ("404", "503")  # an unknown provider; one that is down or slow
    permission_classes = [AllowAny]
    throttle_classes = [LoginThrottle]

    @extend_schema(
        tags=[TAG], summary="其他登录方式登录", request=s.ProviderCodeSerializer,
        responses={200: TokenPairSerializer, 202: s.ProviderNextStepSerializer},
        description="大厅用自己的客户端密钥兑换授权码，并校验 id_token 的签名、签发者、受众、nonce 和有效期。"
        "已绑定的，或证件号码与大厅账号一致的：登录并返回令牌（200）。否则返回下一步（202）："
        "sms（核验的手机号码属于已有账号，需短信验证码确认）或 account（用账号密码登录一次以绑定，或注册）。",
        examples=[CODE_EXAMPLE, TOKENS_EXAMPLE],
    )
    def post(self, request):
        data = validated(s.ProviderCodeSerializer, request)
        address = client_ip(request._request)
        identity = flows.provider_identity_finish_app(
            provider_key=data["provider"], code=data["code"], code_verifier=data["code_verifier"],
            nonce=data["nonce"], client_address=address)
        outcome = flows.provider_login(identity=identity, client_address=address)
        return _logged_in(request, outcome.user) if outcome.user else _next_step(outcome)


class ProviderSmsCodeView(APIView):
    extra_error_codes = ("404",)  # a provider no longer configured
    permission_classes = [AllowAny]
    throttle_classes = []  # the SMS limiter of every code (accounts.sms_code_request)

    @extend_schema(tags=[TAG], summary="其他登录方式：获取确认验证码", request=s.ProviderTicketSerializer,
                   responses={200: MessageSerializer},
                   description="next_step=sms 时，向已有账号的手机发送验证码。",
                   examples=[OpenApiExample("凭据", value={"ticket": "k3Jd…"}, request_only=True)])
    def post(self, request):
        data = validated(s.ProviderTicketSerializer, request)
        seconds = flows.provider_confirm_code_send(ticket=data["ticket"],
                                                   client_address=client_ip(request._request))
        view = flows.provider_ticket_summary(data["ticket"])
        return Response({"message": _("验证码已发送至{mobile}，请注意查收；{seconds}秒后可重新获取").format(
            mobile=view.masked_mobile, seconds=seconds)})


class ProviderConfirmView(APIView):
    extra_error_codes = ("404",)  # a provider no longer configured
    permission_classes = [AllowAny]
    throttle_classes = [LoginThrottle]

    @extend_schema(tags=[TAG], summary="其他登录方式：验证码确认并绑定", request=s.ProviderConfirmSerializer,
                   responses={200: TokenPairSerializer}, examples=[
                       OpenApiExample("确认", request_only=True,
                                      value={"ticket": "k3Jd…", "sms_code": "123456"}),
                       TOKENS_EXAMPLE])
    def post(self, request):
        data = validated(s.ProviderConfirmSerializer, request)
        user = flows.provider_confirm_by_sms(ticket=data["ticket"], sms_code=data["sms_code"],
                                             client_address=client_ip(request._request))
        return _logged_in(request, user)


class ProviderBindByPasswordView(APIView):
    extra_error_codes = ("404",)  # a provider no longer configured
    permission_classes = [AllowAny]
    throttle_classes = [LoginThrottle]

    @extend_schema(tags=[TAG], summary="其他登录方式：账号密码登录并绑定",
                   request=s.ProviderBindByPasswordSerializer, responses={200: TokenPairSerializer},
                   description="next_step=account 时，用已有账号的密码登录一次即绑定"
                   "（与账号密码登录同样计入锁定）。",
                   examples=[OpenApiExample("绑定", request_only=True, value={
                       "ticket": "k3Jd…", "identifier": "13800000001", "password": "Good#Pass2026"}),
                       TOKENS_EXAMPLE])
    def post(self, request):
        data = validated(s.ProviderBindByPasswordSerializer, request)
        user = flows.provider_bind_by_password(request=request._request, ticket=data["ticket"],
                                               identifier=data["identifier"], password=data["password"])
        return _logged_in(request, user)


class BindingListView(APIView):
    extra_error_codes = ("404", "503")  # an unknown provider; one that is down or slow
    @extend_schema(tags=[BINDINGS_TAG], summary="账号绑定", responses={200: s.BindingSerializer(many=True)},
                   examples=[OpenApiExample("已绑定", response_only=True, value=[{
                       "key": "jszwfw", "label": "江苏政务服务网", "bound_at": "2026-09-01T10:00:00+08:00",
                       "last_login_at": "2026-09-02T08:30:00+08:00", "may_unbind": True}])])
    def get(self, request):
        return Response(s.BindingSerializer(provider_bindings_of(request.user, providers_configured()),
                                            many=True).data)

    @extend_schema(tags=[BINDINGS_TAG], summary="绑定其他登录方式", request=s.ProviderCodeSerializer,
                   responses={201: s.BindingSerializer(many=True)}, examples=[CODE_EXAMPLE],
                   description="已登录的用户在该登录方式授权后，把授权码交给大厅以绑定。证件号码与本账号不一致的、"
                   "已绑定其他账号的，均不能绑定。")
    def post(self, request):
        data = validated(s.ProviderCodeSerializer, request)
        address = client_ip(request._request)
        identity = flows.provider_identity_finish_app(
            provider_key=data["provider"], code=data["code"], code_verifier=data["code_verifier"],
            nonce=data["nonce"], client_address=address, actor=request.user)
        flows.provider_bind(user=request.user, identity=identity, client_address=address)
        rows = provider_bindings_of(request.user, providers_configured())
        return Response(s.BindingSerializer(rows, many=True).data, status=status.HTTP_201_CREATED)


class BindingView(APIView):
    extra_error_codes = ("404",)  # a provider no longer configured
    @extend_schema(tags=[BINDINGS_TAG], summary="解绑", request=None, responses={204: None},
                   description="唯一的登录方式不能解绑（code=provider_last_way）。",
                   examples=[OpenApiExample("解绑", response_only=True, status_codes=["204"], value=None)])
    def delete(self, request, key: str):
        flows.provider_unbind(user=request.user, provider_key=key[:32],
                              client_address=client_ip(request._request))
        return Response(status=status.HTTP_204_NO_CONTENT)
