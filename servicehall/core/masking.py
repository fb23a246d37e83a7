"""Masks for personal data shown to anyone but its owner (UI.md: 张*三, 3201**********123X,
138****1234, 6217 **** **** 1234), and the patterns of an ID or mobile number inside free text."""

import re

ID_NUMBER_IN_TEXT = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
MOBILE_IN_TEXT = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def mask_name(name: str) -> str:
    if not name:
        return ""
    if len(name) == 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_id_number(id_number: str) -> str:
    if not id_number:
        return ""
    if len(id_number) <= 8:
        return id_number[:1] + "*" * (len(id_number) - 2) + id_number[-1:]
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


def mask_mobile(mobile: str) -> str:
    if not mobile:
        return ""
    if len(mobile) != 11:
        return mobile[:2] + "*" * max(len(mobile) - 4, 0) + mobile[-2:]
    return mobile[:3] + "****" + mobile[-4:]


def mask_account(account: str) -> str:
    digits = account.replace(" ", "")
    if len(digits) <= 8:
        return "*" * max(len(digits) - 4, 0) + digits[-4:]
    return f"{digits[:4]} **** **** {digits[-4:]}"


def mask_student_number(number: str) -> str:
    """学号 in a public 公示: the first four and last two characters (2212****01)."""
    if not number:
        return ""
    if len(number) <= 6:
        return number[:1] + "*" * (len(number) - 2) + number[-1:]
    return number[:4] + "*" * (len(number) - 6) + number[-2:]


def carries_personal_number(text: str) -> bool:
    """Whether free text (a reviewer's opinion, say) quotes an ID number or a mobile number."""
    return bool(ID_NUMBER_IN_TEXT.search(text or "") or MOBILE_IN_TEXT.search(text or ""))


def mask_personal_numbers(text: str) -> str:
    """Free text with every ID number and mobile number in it masked as they are shown to
    anyone but their owner (3201**********123X, 138****1234)."""
    text = ID_NUMBER_IN_TEXT.sub(lambda m: mask_id_number(m.group()), text or "")
    return MOBILE_IN_TEXT.sub(lambda m: mask_mobile(m.group()), text)
