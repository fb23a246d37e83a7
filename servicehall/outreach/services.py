"""Every write of 政策找人 but the matching run (runs.py) and the inviting (invitations.py): a
school's import of its graduating class, the person's use of the link, 确认申请 and 不需要, and
the purge of lists past their keeping. Pages and the API call these."""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.accounts.models import Organisation, Role
from servicehall.accounts.permissions import may
from servicehall.audit.services import audit_record
from servicehall.cards.importing import read_table, read_upload
from servicehall.core.actions import Action
from servicehall.core.bulk import rows_insert, rows_update
from servicehall.core.errors import DomainError
from servicehall.core.loaded import loaded_forget
from servicehall.core.wording import worded_rows
from servicehall.subsidy.models import ApplicationWindow, RetentionPolicy
from servicehall.subsidy.services import application_start_from_invitation
from servicehall.verification.selectors import id_number_index, name_index

from . import importing
from .invitations import token_digest
from .models import Graduate, GraduateImport, Invitation
from .runs import match_run_queue
from .selectors import WAITING, invitation_reason

if TYPE_CHECKING:
    import datetime

    from django.core.files.uploadedfile import UploadedFile

    from servicehall.accounts.models import User
    from servicehall.subsidy.models import GraduationYear

logger = logging.getLogger(__name__)
MAX_REPORTED_PROBLEMS = 1000


def _school_of(actor):
    """The school whose list this officer keeps: a school reviewer of an active school only."""
    organisation = getattr(actor, "organisation", None)
    if (
        not may(actor, Action.FIND_GRADUATES)
        or actor.role != Role.SCHOOL_REVIEWER
        or organisation is None
        or organisation.kind != Organisation.Kind.SCHOOL
        or not organisation.is_active
        or organisation.school_id is None
    ):
        raise PermissionDenied
    return organisation.school


def graduate_list_import(
    *, actor: User, uploaded_file: UploadedFile, graduation_year: GraduationYear, client_address: str = ""
) -> GraduateImport:
    """导入毕业生名单: the school's own graduating class for one graduation year. Good lines are
    listed (a student listed before by this school is updated), bad ones reported and skipped; a
    student another school lists for the year is refused on that line without naming it. Then
    the school's list is matched in the background."""
    school = _school_of(actor)
    filename, data = read_upload(uploaded_file)
    table = read_table(data, filename=filename, layout=importing.LAYOUT)
    levels, today, year = importing.levels_by_name(), timezone.localdate(), graduation_year.pk
    good, bad, repeated, seen = {}, [], [], set()
    for line, raw in table.rows:
        values, problems = importing.check_values(raw, year=year, levels=levels, today=today)
        if problems:
            bad.append((line, raw))
            continue
        index = id_number_index(values.id_number)
        if index in seen:
            repeated.append((line, raw))
            continue
        seen.add(index)
        good[index] = (line, values)
    listed = {}
    for indexes in _slices(list(good)):
        listed.update(Graduate.objects.filter(graduation_year=graduation_year, id_number_index__in=indexes)
                      .values_list("id_number_index", "school_id"))
    elsewhere = [(good.pop(index)[0], {}) for index, school_id in listed.items() if school_id != school.pk]

    def report() -> list[dict]:
        """The refused lines in the active language (core.wording keeps each language's)."""
        rows = [
            importing.problem_row(line, raw, problem)
            for line, raw in bad
            for problem in importing.check_values(raw, year=year, levels=levels, today=today)[1]
        ]
        rows += [
            importing.problem_row(
                line,
                raw,
                DomainError(_("该证件号码在文件中重复出现，仅导入了第一次出现的行"), fields=("id_number",)),
            )
            for line, raw in repeated
        ]
        rows += [
            {
                "line": line,
                "column": _("证件号码"),
                "value": "",
                "reason": _("该学生已在其他学校的毕业生名单中，请与学生核实毕业学校"),
            }
            for line, _raw in elsewhere
        ]
        return sorted(rows, key=lambda row: row["line"])

    problems = worded_rows(report) if bad or repeated or elsewhere else []
    with transaction.atomic():
        batch = GraduateImport.objects.create(
            school=school,
            graduation_year=graduation_year,
            imported_by=actor,
            filename=filename,
            sha256=hashlib.sha256(data).hexdigest(),
            row_count=len(table.rows),
            imported_count=len(good),
            rejected_count=len(bad) + len(repeated) + len(elsewhere),
            rejected_rows=problems[:MAX_REPORTED_PROBLEMS],
        )
        _write(batch, good, set(listed))
        audit_record(
            actor=actor,
            action="outreach.list.import",
            target=batch,
            client_address=client_address,
            detail={
                "rows": batch.row_count,
                "imported": batch.imported_count,
                "rejected": batch.rejected_count,
            },
        )
        if good:
            match_run_queue(actor=actor, graduation_year=graduation_year, school=school,
                            client_address=client_address)
    return batch


def _row(batch, line, values, index) -> dict:
    return {
        "school_id": batch.school_id,
        "graduation_year_id": batch.graduation_year_id,
        "source_id": batch.pk,
        "line": line,
        "name": values.name,
        "name_index": name_index(values.name),
        "id_number": values.id_number,
        "id_number_index": index,
        "student_number": values.student_number,
        "department": values.department,
        "major": values.major,
        "education_level_id": values.education_level.pk if values.education_level else None,
        "mobile": values.mobile,
        "listed_at": batch.imported_at,
    }


def _slices(values: list, size: int = 2000):
    """A list of 50,000 look-ups in slices: SQLite takes at most 32,766 parameters a statement."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _write(batch, good: dict, known: set[str]) -> None:
    new = [_row(batch, line, values, index) for index, (line, values) in good.items() if index not in known]
    rows_insert(Graduate, new)
    fields = ["source_id", "line", "name", "name_index", "student_number", "department", "major",
              "education_level_id", "mobile", "listed_at"]
    ids = {
        index: pk
        for indexes in _slices([index for index in good if index in known])
        for index, pk in Graduate.objects.filter(
            graduation_year_id=batch.graduation_year_id, school_id=batch.school_id,
            id_number_index__in=indexes,
        ).values_list("id_number_index", "pk")
    }
    rows = []
    for index, pk in ids.items():
        line, values = good[index]
        row = _row(batch, line, values, index)
        rows.append((pk, *(row[field] for field in fields)))
    rows_update(Graduate, fields, rows)


# --- The person -------------------------------------------------------------------------------


def _live(invitation: Invitation, now) -> bool:
    return invitation.expires_at > now


def invitation_by_link(*, token: str, user: User, now: datetime.datetime | None = None) -> Invitation:
    """The invitation this link names, for the person it was sent to only: the link is bound to
    the ID number it was made for, so it is of use to nobody else, whoever used it before. Its
    owner's first use records link_used_at (and the account); the owner may open it again until
    the window closes. Anyone else, an expired link or a made-up one gets the same "not_found",
    which says nothing of whom it was for; another account's try is audited."""
    now = now or timezone.now()
    not_found = DomainError(
        _("该链接无效或已过期。如您收到过邀请，请登录后在个人中心查看。"), code="not_found"
    )
    token = (token or "")[:100]
    if not token:
        raise not_found
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(token_digest=token_digest(token)).first()
        if invitation is None or not _live(invitation, now):
            raise not_found
        mine = getattr(user, "id_number_index", "") == invitation.id_number_index and user.is_person
        if not mine:
            audit_record(
                actor=user,
                action="outreach.link.refused",
                target=invitation,
                detail={"used": invitation.link_used_at is not None},
            )
        elif invitation.link_used_at is None:
            invitation.link_used_at = now
            invitation.user = user
            invitation.opened_at = invitation.opened_at or now
            invitation.save(update_fields=["link_used_at", "user", "opened_at"])
    if not mine:  # refused after the audit entry is committed
        raise not_found
    return invitation


def invitation_opened(*, user: User, invitation: Invitation, now: datetime.datetime | None = None) -> None:
    """The person looked at their invitation (from the link, 个人中心 or 我的消息)."""
    if invitation.opened_at is None:
        Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(
            opened_at=now or timezone.now(), user=user
        )


def _own_live(user, invitation: Invitation, now) -> Invitation:
    if invitation.id_number_index != getattr(user, "id_number_index", None) or not user.is_person:
        raise DomainError(_("找不到这条邀请。"), code="not_found")
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not _live(locked, now):
        raise DomainError(_("这条邀请已随申报期结束而失效。"), code="expired")
    return locked


def invitation_confirm(*, user: User, invitation: Invitation, now: datetime.datetime | None = None):
    """确认申请: the person's draft, filled from the school's list, the registry's finding and
    the card (subsidy.services.application_start_from_invitation), for the person to check,
    complete and submit. Repeating it returns the same draft."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation = _own_live(user, invitation, now)
        if invitation.declined_at is not None:
            raise DomainError(_("您已选择不需要。如需申请，请直接在申报页面填写。"), code="declined")
        graduate = invitation.graduate
        answers = {
            "school": graduate.school,
            "student_number": graduate.student_number,
            "department": graduate.department,
            "major": graduate.major,
            "education_level": graduate.education_level,
            "mobile": graduate.mobile or user.mobile,
            "category": invitation.category_code,
        }
        filled = application_start_from_invitation(
            applicant=user, answers=answers, note=invitation_reason(invitation)
        )
        invitation.confirmed_at = invitation.confirmed_at or now
        invitation.application = filled.application
        invitation.opened_at = invitation.opened_at or now
        invitation.user = user
        invitation.save(update_fields=["confirmed_at", "application", "opened_at", "user"])
        audit_record(actor=user, action="outreach.invitation.confirm", target=invitation)
        loaded_forget(user, WAITING)
    return filled.application


def invitation_decline(
    *, user: User, invitation: Invitation, now: datetime.datetime | None = None
) -> Invitation:
    """不需要: not asked again this graduation year (invitations.invitations_send skips the
    person). Once the person confirmed, the draft is theirs to discard instead."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation = _own_live(user, invitation, now)
        if invitation.confirmed_at is not None:
            raise DomainError(
                _("您已确认申请，如不再申请，可在申报页面删除草稿或撤回申请。"), code="confirmed"
            )
        if invitation.declined_at is None:
            invitation.declined_at = now
            invitation.opened_at = invitation.opened_at or now
            invitation.user = user
            invitation.save(update_fields=["declined_at", "opened_at", "user"])
            audit_record(actor=user, action="outreach.invitation.decline", target=invitation)
            loaded_forget(user, WAITING)
    return invitation


# --- Keeping ----------------------------------------------------------------------------------


def graduate_lists_purge(*, now: datetime.datetime | None = None) -> int:
    """A graduation year's lists go once its last window has closed RetentionPolicy.
    graduate_list_days ago: the listed graduates and their invitations (an application made
    from one stays, as any application). Recorded in the audit trail. Returns rows removed."""
    now = now or timezone.now()
    keep = timedelta(days=RetentionPolicy.current().graduate_list_days)
    removed = 0
    years = set(Graduate.objects.values_list("graduation_year_id", flat=True).distinct())
    for year in sorted(years):
        last = ApplicationWindow.objects.filter(graduation_year_id=year).order_by("-closes_on").first()
        if last is None or last.closes_on + keep >= timezone.localdate(now):
            continue
        with transaction.atomic():
            invitations, _kinds = Invitation.objects.filter(graduate__graduation_year_id=year).delete()
            graduates, _kinds = Graduate.objects.filter(graduation_year_id=year).delete()
            audit_record(
                actor=None,
                action="outreach.list.purge",
                detail={"graduation_year": year, "graduates": graduates, "invitations": invitations},
            )
        removed += graduates
    return removed


# --- Who saw the lists ------------------------------------------------------------------------

LIST_COLUMNS = importing.COLUMNS


def list_viewed(
    *, actor: User, graduation_year: GraduationYear, shown: int, client_address: str = "",
    report: GraduateImport | None = None,
) -> None:
    """Every view of the 政策找人 lists is in the audit trail (personal data, even masked): the
    officers' page, and an import's report of refused lines (`report`)."""
    audit_record(
        actor=actor,
        action="outreach.list.view",
        target=report,
        client_address=client_address,
        detail={"graduation_year": graduation_year.pk, "shown": shown},
    )


def list_exported(
    *, actor: User, graduation_year: GraduationYear, rows: int, client_address: str = ""
) -> None:
    audit_record(
        actor=actor,
        action="outreach.export",
        client_address=client_address,
        detail={"graduation_year": graduation_year.pk, "rows": rows},
    )

