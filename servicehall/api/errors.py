"""One shape for every error the API returns, in Chinese through gettext:

    {"message": "…", "code": "…", "fields": ["mobile"], "errors": {"mobile": ["…"]}}

`message` is what to show a person, `code` what a program may test, `fields` the request
fields concerned and `errors` each field's own messages (validation errors)."""

import math

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from servicehall.core.errors import DomainError
from servicehall.core.json_errors import error_body

# DomainError codes that are not "400 Bad Request".
STATUS_BY_CODE = {
    "not_found": status.HTTP_404_NOT_FOUND,
    "login_required": status.HTTP_401_UNAUTHORIZED,
    "not_person": status.HTTP_403_FORBIDDEN,
    "forbidden": status.HTTP_403_FORBIDDEN,
    "login_locked": status.HTTP_429_TOO_MANY_REQUESTS,
    "login_address_blocked": status.HTTP_429_TOO_MANY_REQUESTS,
    "sms_resend_too_soon": status.HTTP_429_TOO_MANY_REQUESTS,
    "sms_daily_limit": status.HTTP_429_TOO_MANY_REQUESTS,
    "sms_address_limit": status.HTTP_429_TOO_MANY_REQUESTS,
    "sms_throttled": status.HTTP_429_TOO_MANY_REQUESTS,
    "sms_send_failed": status.HTTP_503_SERVICE_UNAVAILABLE,
    "provider_unknown": status.HTTP_404_NOT_FOUND,
    "provider_unavailable": status.HTTP_503_SERVICE_UNAVAILABLE,
    "provider_slow": status.HTTP_503_SERVICE_UNAVAILABLE,
    "provider_staff": status.HTTP_403_FORBIDDEN,
    "material_upload_rate": status.HTTP_429_TOO_MANY_REQUESTS,
}


class ErrorSerializer(serializers.Serializer):
    message = serializers.CharField(help_text="给用户看的说明（中文）")
    code = serializers.CharField(help_text="程序可判断的错误代码，如 not_found、otp_invalid")
    fields = serializers.ListField(child=serializers.CharField(), help_text="涉及的请求字段")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="每个字段各自的错误说明（校验错误时）",
    )


def _flatten(detail, prefix="") -> dict[str, list[str]]:
    """DRF's nested error detail as {"field": [messages]} ("materials.0.id" for nested)."""
    if isinstance(detail, dict):
        found = {}
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            found.update(_flatten(value, name))
        return found
    if isinstance(detail, list) and detail and not all(isinstance(d, str) for d in detail):
        found = {}
        for index, value in enumerate(detail):
            found.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
        return found
    messages = [str(d) for d in (detail if isinstance(detail, list) else [detail])]
    return {prefix or "non_field_errors": messages}


def _validation_response(exc: exceptions.ValidationError) -> Response:
    errors = _flatten(exc.detail)
    fields = [name for name in errors if name != "non_field_errors"]
    first = next(iter(errors.values()), [_("请求内容不正确")])[0]
    if len(errors) > 1:
        message = _("有%(count)d处填写不正确，请按提示修改") % {"count": len(errors)}
    else:
        message = first
    return Response(error_body(message, code="invalid", fields=fields, errors=errors), status=400)


def exception_handler(exc, context):
    response = _response_for(exc)
    if response is not None:
        # django-axes' middleware replaces the response of a locked-out login with the login
        # page unless told that the view has answered it (accounts.views.login.lockout_response).
        response.axes_handled = True
    return response


def _response_for(exc):
    if isinstance(exc, DomainError):
        code = STATUS_BY_CODE.get(exc.code, status.HTTP_400_BAD_REQUEST)
        errors = {field: [str(exc.message)] for field in exc.fields}
        return Response(error_body(exc.message, code=exc.code, fields=exc.fields, errors=errors), status=code)
    if isinstance(exc, (Http404, ObjectDoesNotExist, exceptions.NotFound)):
        return Response(error_body(_("找不到该内容，或您无权查看"), code="not_found"), status=404)
    if isinstance(exc, exceptions.ValidationError):
        return _validation_response(exc)
    if isinstance(exc, exceptions.NotAuthenticated):
        response = Response(error_body(_("请先登录"), code="not_authenticated"), status=401)
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response
    if isinstance(exc, exceptions.AuthenticationFailed):
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else "token_invalid"
        response = Response(error_body(exc.detail, code=code), status=401)
        response["WWW-Authenticate"] = 'Bearer realm="api", error="invalid_token"'
        return response
    if isinstance(exc, (exceptions.PermissionDenied, DjangoPermissionDenied)):
        return Response(error_body(_("您没有权限进行此操作"), code="forbidden"), status=403)
    if isinstance(exc, exceptions.Throttled):
        wait = math.ceil(exc.wait) if exc.wait else 60
        response = Response(
            error_body(_("操作过于频繁，请%(seconds)d秒后再试") % {"seconds": wait}, code="throttled"),
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response
    if isinstance(exc, exceptions.MethodNotAllowed):
        return Response(error_body(_("不支持该请求方法"), code="method_not_allowed"), status=405)
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return Response(
            error_body(_("不支持该请求格式，请使用 JSON"), code="unsupported_media_type"), status=415
        )
    if isinstance(exc, exceptions.NotAcceptable):
        return Response(error_body(_("无法提供所要求的响应格式"), code="not_acceptable"), status=406)
    if isinstance(exc, exceptions.ParseError):
        return Response(error_body(_("请求内容无法解析，请检查格式"), code="parse_error"), status=400)
    if isinstance(exc, exceptions.APIException):
        return Response(error_body(exc.detail, code=exc.default_code), status=exc.status_code)
    return None
