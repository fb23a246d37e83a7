"""Identity documents: normalising what people type and checking each document type's format.
Resident ID numbers follow GB 11643-1999 (checksum ISO 7064 MOD 11-2, birth date, region)."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from servicehall.core.errors import DomainError
from servicehall.reference.id_numbers import IdNumberProblem, ResidentId, resident_id

from .models import Gender, IdType

_HK_MACAO = re.compile(r"^[HM]\d{8}(\d{2})?$")
_TAIWAN = re.compile(r"^\d{8}$")
_FOREIGN_PR_OLD = re.compile(r"^[A-Z]{3}\d{12}$")
_FOREIGN_PR_NEW = re.compile(r"^9\d{16}[\dX]$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_NAME = re.compile(r"^(?:[\u4e00-\u9fff·]{2,30}|[A-Za-z][A-Za-z .·'-]{0,28}[A-Za-z])$")


@dataclass(frozen=True)
class IdFacts:
    id_type: str
    id_number: str
    gender: str = ""
    birth_date: date | None = None


def normalise(value: str) -> str:
    """Full-width digits and letters become ASCII, spaces go, a lower-case x becomes X."""
    value = unicodedata.normalize("NFKC", value or "")
    return re.sub(r"\s+", "", value).upper()


def _error(message: str, code: str) -> DomainError:
    return DomainError(message, code=code, fields=("id_number",))


def _resident(number: str, *, region: bool = True) -> ResidentId:
    try:
        return resident_id(number, region=region)
    except IdNumberProblem as problem:
        raise _error(problem.message, problem.code) from None


def check_id_document(id_type: str, raw_number: str) -> IdFacts:
    number = normalise(raw_number)
    if not number:
        raise _error(_("请输入证件号码"), "required")
    if id_type == IdType.RESIDENT:
        found = _resident(number)
        return IdFacts(id_type, number, Gender.MALE if found.male else Gender.FEMALE, found.birth_date)
    if id_type == IdType.HK_MACAO:
        if not _HK_MACAO.match(number):
            raise _error(_("港澳居民来往内地通行证号码应为H或M开头加8位或10位数字"), "id_format")
        return IdFacts(id_type, number)
    if id_type == IdType.TAIWAN:
        if not _TAIWAN.match(number):
            raise _error(_("台湾居民来往大陆通行证号码应为8位数字"), "id_format")
        return IdFacts(id_type, number)
    if id_type == IdType.FOREIGN_PR:
        if _FOREIGN_PR_OLD.match(number):
            return IdFacts(id_type, number)
        if not _FOREIGN_PR_NEW.match(number):
            raise _error(
                _("外国人永久居留身份证号码应为15位（3位字母加12位数字）或以9开头的18位"), "id_format"
            )
        found = _resident(number, region=False)
        return IdFacts(id_type, number, Gender.MALE if found.male else Gender.FEMALE, found.birth_date)
    raise DomainError(_("请选择证件类型"), code="id_type", fields=("id_type",))


def check_mobile(raw: str) -> str:
    mobile = normalise(raw)
    if mobile.startswith("+86"):
        mobile = mobile[3:]
    if not mobile:
        raise DomainError(_("请输入移动电话"), code="required", fields=("mobile",))
    if not _MOBILE.match(mobile):
        raise DomainError(
            _("移动电话应为1开头的11位数字，第二位为3-9"), code="mobile_format", fields=("mobile",)
        )
    return mobile


def check_name(raw: str) -> str:
    name = unicodedata.normalize("NFKC", raw or "").strip()
    name = re.sub(r"[·•・]", "·", name)
    if not name:
        raise DomainError(_("请输入姓名"), code="required", fields=("name",))
    if not _NAME.match(name):
        raise DomainError(
            _("姓名应为2-30个汉字（可含·）或英文字母，请与证件上的姓名一致"),
            code="name_format", fields=("name",),
        )
    return name


def looks_like_mobile(identifier: str) -> bool:
    return bool(_MOBILE.match(normalise(identifier)))
