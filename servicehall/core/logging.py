"""A logging filter that blanks anything shaped like an ID number or a mobile number, as a last
line of defence: code must not log personal data in the first place."""

import logging
import re

_ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def redact(text: str) -> str:
    return _MOBILE.sub("1**********", _ID_NUMBER.sub("******************", text))


class RedactPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
