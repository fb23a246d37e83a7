"""The API's JSON parser: DRF's, with the limits a hostile body needs.

A body larger than DATA_UPLOAD_MAX_MEMORY_SIZE is refused before it is read (413); bytes that
are not UTF-8, a document that is not JSON or is nested deeper than MAX_DEPTH are refused as
unparseable (400, code parse_error); a string holding a lone surrogate ("\\ud800", which JSON
allows and no database or encoder takes) is refused as invalid input (400, code invalid)
naming the field it was found in."""

import json

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.parsers import JSONParser

# No request of the API nests deeper than a few levels; 32 leaves room and bounds the work.
MAX_DEPTH = 32
LONE_SURROGATE = _("含有无法识别的字符，请检查输入")


class RequestTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = _("请求内容过大")
    default_code = "request_too_large"


class TooDeep(ValueError):
    pass


def has_lone_surrogate(text: str) -> bool:
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _check(value, path: str, depth: int) -> None:
    """Raise TooDeep, or ValidationError naming the field with a lone surrogate."""
    if depth > MAX_DEPTH:
        raise TooDeep
    if isinstance(value, str):
        if has_lone_surrogate(value):
            raise exceptions.ValidationError({path or "non_field_errors": [LONE_SURROGATE]})
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else key
            if has_lone_surrogate(key):
                raise exceptions.ValidationError({path or "non_field_errors": [LONE_SURROGATE]})
            _check(item, name, depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check(item, f"{path}.{index}" if path else str(index), depth + 1)


def _read_limited(stream) -> bytes:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = stream.read(limit + 1) if limit is not None else stream.read()
    if limit is not None and len(body) > limit:
        raise RequestTooLarge
    return body


class HallJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        body = _read_limited(stream) if stream is not None else b""
        unparseable = exceptions.ParseError(_("请求内容无法解析，请检查格式"))
        try:
            text = body.decode("utf-8")
            data = json.loads(text, parse_constant=self._refuse_constant)
            _check(data, "", 1)
        except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError included
            raise unparseable from None
        return data

    @staticmethod
    def _refuse_constant(name):
        raise ValueError(f"{name} is not JSON")
