"""办件进度查询 without logging in: whoever holds a case's 申报编号 (it is on the receipt) and the
applicant's ID number or name sees where the case is, masked, as the receipt's QR code promises.

What it shows is what the receipt shows plus the six steps and their dates: the applicant's
name masked, the school, the state, each step's status. Never the hardship category, the ID or
mobile number, or an officer's opinion (those are for the applicant, after login). A wrong
number, a wrong ID number and a wrong name all get the same answer, so the page tells nobody
which record numbers exist; lookups are counted per address and per record number."""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from servicehall.accounts.selectors import id_number_index
from servicehall.audit.services import audit_record
from servicehall.core import ratelimit
from servicehall.core.errors import DomainError
from servicehall.core.masking import mask_name

from .models import Application
from .progress import Step, progress_steps

RECORD_NUMBER = re.compile(r"\d{16}")
ID_NUMBER = re.compile(r"\d{17}[\dX]")
WINDOW_SECONDS = 10 * 60
LOOKUPS_PER_ADDRESS = 20  # in WINDOW_SECONDS: a family checking a few cases, not a scan
MISSES_PER_NUMBER = 5  # wrong identities for one record number in WINDOW_SECONDS: no guessing names


@dataclass(frozen=True)
class PublicProgress:
    record_number: str
    masked_name: str
    school: str
    submitted_at: object
    state_label: str
    steps: list[Step]


def _same(given: str, kept: str) -> bool:
    return hmac.compare_digest(given.encode(), kept.encode())


def _matches(application: Application, identity: str) -> bool:
    """The applicant's ID number (compared by its blind index) or their name, exactly."""
    candidate = identity.upper()
    if ID_NUMBER.fullmatch(candidate):
        return _same(id_number_index(candidate), application.id_number_index)
    return _same(identity, application.name)


def progress_lookup(*, record_number: str, identity: str, client_address: str = "") -> PublicProgress:
    """The masked progress of the case, or DomainError: "not_found" (the same for every
    mismatch), "rate_limited", or a field's own message for input that cannot be a case."""
    record_number = (record_number or "").strip()
    identity = re.sub(r"\s+", "", identity or "")
    if not RECORD_NUMBER.fullmatch(record_number):
        raise DomainError(
            _("申报编号为16位数字，见申报回执"), code="record_number", fields=("record_number",)
        )
    if not identity or len(identity) > 40:
        raise DomainError(_("请填写申请人的公民身份号码或姓名"), code="identity", fields=("identity",))
    too_many = DomainError(_("查询过于频繁，请10分钟后再试。"), code="rate_limited")
    if not ratelimit.hit("progress_lookup", client_address or "-", limit=LOOKUPS_PER_ADDRESS,
                         window=WINDOW_SECONDS):
        raise too_many
    if ratelimit.count("progress_miss", record_number, window=WINDOW_SECONDS) >= MISSES_PER_NUMBER:
        raise too_many
    application = (
        Application.objects.filter(record_number=record_number)
        .select_related("school")
        .only("pk", "record_number", "name", "id_number_index", "state", "submitted_at", "school__name")
        .first()
    )
    if application is None or not _matches(application, identity):
        ratelimit.hit("progress_miss", record_number, limit=MISSES_PER_NUMBER, window=WINDOW_SECONDS)
        raise DomainError(
            _("没有查到这笔办件：请核对申报编号，以及申请人的公民身份号码或姓名。"), code="not_found"
        )
    events = list(application.timeline.select_related("organisation").only(
        "action", "from_state", "to_state", "at", "organisation__name"
    ))
    for event in events:
        event.opinion = ""  # never shown here: an officer's words are for the applicant
    audit_record(
        actor=None, action="subsidy.progress_lookup", target=application, client_address=client_address
    )
    return PublicProgress(
        record_number=application.record_number,
        masked_name=mask_name(application.name),
        school=application.school.name if application.school_id else "",
        submitted_at=application.submitted_at,
        state_label=application.get_state_display(),
        steps=progress_steps(application, events),
    )
