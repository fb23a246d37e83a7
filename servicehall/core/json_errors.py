"""The API's error shape, for the answers Django gives outside the API's own views.

    {"message": "…", "code": "…", "fields": ["mobile"], "errors": {"mobile": ["…"]}}

It lives in core because two top-layer apps need it and neither may import the other: the API
(api/errors.py builds every DRF answer with `error_body`) and the portal (its error pages and the
request-size guard answer a request under /api/ in this shape, never with a page)."""

import functools

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


def error_body(message, *, code: str, fields=(), errors=None) -> dict:
    return {"message": str(message), "code": code, "fields": list(fields), "errors": errors or {}}


def is_api_request(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _django_error(status_code: int, exception=None):
    if status_code == 400 and isinstance(exception, RequestDataTooBig):
        return 413, _("请求内容过大"), "request_too_large"
    return {
        400: (400, _("请求内容不正确"), "bad_request"),
        403: (403, _("您没有权限进行此操作"), "forbidden"),
        404: (404, _("找不到该接口，请核对地址（见 /api/docs/）"), "not_found"),
        500: (500, _("系统出现错误，请稍后再试"), "server_error"),
    }[status_code]


def json_error(status_code: int, exception=None) -> JsonResponse:
    """The error shape as a plain Django response, for answers given outside DRF."""
    status_code, message, code = _django_error(status_code, exception)
    return JsonResponse(
        error_body(message, code=code), status=status_code, json_dumps_params={"ensure_ascii": False}
    )


def json_under_api(status_code: int):
    """Wraps one of Django's error views (handler400/403/404/500, CSRF_FAILURE_VIEW) so that a
    request under /api/ is answered in the API's error shape, never with a page."""

    def wrap(page_view):
        @functools.wraps(page_view)
        def view(request, *args, **kwargs):
            if is_api_request(request):
                exception = kwargs.get("exception", args[0] if args else None)
                return json_error(status_code, exception)
            return page_view(request, *args, **kwargs)

        return view

    return wrap
