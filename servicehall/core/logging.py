"""A logging filter that blanks anything shaped like an ID number or a mobile number, as a last
line of defence: code must not log personal data in the first place."""

import logging

from servicehall.core.masking import ID_NUMBER_IN_TEXT, MOBILE_IN_TEXT

_TRACEBACKS = logging.Formatter()


def redact(text: str) -> str:
    return MOBILE_IN_TEXT.sub("1**********", ID_NUMBER_IN_TEXT.sub("******************", text))


class RedactPersonalData(logging.Filter):
    """Blanks the message, and the traceback and stack a handler would print with it (an
    exception's text can quote a request's query string or a template's context)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = _TRACEBACKS.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
