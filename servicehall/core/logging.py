"""A logging filter that blanks anything shaped like an ID number or a mobile number, as a last
line of defence: code must not log personal data in the first place. And the JSON lines the
cluster's nodes write (LOG_FORMAT=json, settings/observability.py)."""

import logging

from pythonjsonlogger.json import JsonEncoder
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

from servicehall.core.masking import ID_NUMBER_IN_TEXT, MOBILE_IN_TEXT

_TRACEBACKS = logging.Formatter()
# What every record has; anything else on a record came from `extra=` (or a filter).
_RECORD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message", "asctime"}


def redact(text: str) -> str:
    return MOBILE_IN_TEXT.sub("1**********", ID_NUMBER_IN_TEXT.sub("******************", text))


def _redacted(value):
    """`value` with its ID and mobile numbers blanked, or `value` itself when it has none. A
    number that is an ID or a mobile becomes the blanked text; other objects are left to the
    formatter that prints them (calling str() here could run a query)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return value
    if isinstance(value, int):
        text = str(value)
        cleaned = redact(text)
        return value if cleaned == text else cleaned
    if isinstance(value, dict):
        items = {key: _redacted(item) for key, item in value.items()}
        return value if all(items[key] is value[key] for key in value) else items
    if isinstance(value, list | tuple):
        items = [_redacted(item) for item in value]
        changed = any(new is not old for new, old in zip(items, value, strict=True))
        return (list if isinstance(value, list) else tuple)(items) if changed else value
    return value


class RedactPersonalData(logging.Filter):
    """Blanks the message, the `extra` fields (which a JSON line prints), and the traceback and
    stack a handler would print with it (an exception's text can quote a request's query string or
    a template's context)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        for name, value in list(vars(record).items()):
            if name not in _RECORD_ATTRIBUTES:
                cleaned_value = _redacted(value)
                if cleaned_value is not value:
                    setattr(record, name, cleaned_value)
        if record.exc_info and not record.exc_text:
            record.exc_text = _TRACEBACKS.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class _BlankingEncoder(JsonEncoder):
    """An object in `extra` (Django passes the request) is printed as its str(): blanked here,
    where that text is made."""

    def default(self, o):
        printed = super().default(o)
        return redact(printed) if isinstance(printed, str) else printed


class JsonFormatter(_JsonFormatter):
    """One JSON object a line. It prints the traceback RedactPersonalData has blanked (exc_text)
    rather than formatting exc_info afresh, as the library's formatter would."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("json_encoder", _BlankingEncoder)
        super().__init__(*args, **kwargs)

    def format(self, record: logging.LogRecord) -> str:
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        exc_info, record.exc_info = record.exc_info, None
        try:
            return super().format(record)
        finally:
            record.exc_info = exc_info
