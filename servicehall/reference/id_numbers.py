"""The one check of a resident ID number (GB 11643-1999), for registration, appeals, the API
and every import (cards, registries): python-stdnum's `cn.ric` for the check digit, then a birth
date that exists and is not in the future, then a first six digits that were a region code in
force in the year of birth (reference/birthplace.py). One set of messages, whatever the door."""

import re
from datetime import date
from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import ric

from .birthplace import birthplace_existed

RESIDENT_ID = re.compile(r"^\d{17}[\dX]$")
EARLIEST_BIRTH_YEAR = 1900


class IdNumberProblem(ValueError):
    """What is wrong with a number, in words for the person who typed it, and a code."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


class ResidentId(NamedTuple):  # a tuple: made a million times in a registry import
    number: str
    birth_date: date
    male: bool


def resident_id(number: str, *, region: bool = True, today: date | None = None) -> ResidentId:
    """`number` already normalised (ASCII, upper-case X, no spaces). `region=False` for the new
    foreign permanent residence card, which follows GB 11643 without a region code."""
    if not RESIDENT_ID.match(number or ""):
        raise IdNumberProblem(_("居民身份证号码应为18位，最后一位可以是数字或X"), "id_format")
    # Checksum first: most typos land there.
    if ric.calc_check_digit(number) != number[17]:
        raise IdNumberProblem(_("证件号码校验位不正确，请核对最后一位"), "id_checksum")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise IdNumberProblem(_("证件号码中的出生日期不存在，请核对第7-14位"), "id_birth_date") from exc
    if born.year < EARLIEST_BIRTH_YEAR or born > (today or timezone.localdate()):
        raise IdNumberProblem(_("证件号码中的出生日期不正确，请核对第7-14位"), "id_birth_date")
    if region and not birthplace_existed(number[:6], born.year):
        raise IdNumberProblem(_("证件号码前6位的地区代码不存在，请核对"), "id_region")
    return ResidentId(number, born, bool(int(number[16]) % 2))
