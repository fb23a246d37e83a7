"""When a part the hall stands on is down (Redis, or the database behind PgBouncer), every request
fails the same way: it is answered 503 with Retry-After, in the API's error shape under /api/ and
with a plain page elsewhere, instead of a 500 that reads like a fault in the hall. nginx passes an
idempotent request that got 503 on to the other node; /readyz says which part is down. Nothing is
half-done: the database work of a request that failed was rolled back, and a client may send the
same request again (a submission repeated is answered as the first).

The page is rendered without the request: the layout's context (the session, the inbox, the
cached catalog) needs the very parts that are down."""

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from servicehall.core.json_errors import error_body, is_api_request

RETRY_AFTER_SECONDS = 30
_DEPENDENCY_DOWN = (RedisConnectionError, RedisTimeoutError, OperationalError, InterfaceError)


def dependency_down(exception: BaseException | None) -> bool:
    """Whether the request failed because Redis or the database could not be reached, or the
    database gave up on it (OperationalError: connection lost, timeout, locked); a query it
    refused as wrong (IntegrityError, ProgrammingError) is the hall's own fault."""
    return isinstance(exception, _DEPENDENCY_DOWN)


def unavailable_response(request) -> HttpResponse:
    message = _("系统繁忙，请稍后再试。您已填写和上传的内容已保存，稍后可继续办理。")
    if is_api_request(request):
        response = JsonResponse(
            error_body(message, code="unavailable"), status=503, json_dumps_params={"ensure_ascii": False}
        )
    else:
        response = HttpResponse(render_to_string("portal/unavailable.html", {"message": message}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
