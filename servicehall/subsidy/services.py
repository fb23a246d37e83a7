"""Every write to an application from its applicant's side: start, save a draft, upload and
attach materials, submit, withdraw, resubmit. Reviewers' moves come with the review workflow."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.audit.services import audit_record
from servicehall.cards.selectors import card_payment_status
from servicehall.core import ratelimit
from servicehall.core.crypto import encrypt_bytes
from servicehall.core.errors import DomainError
from servicehall.core.uploads import check_upload

from . import notify, selectors
from .checks import category_verified
from .constants import EDITABLE, INVITED, ApplicationStatus
from .eligibility import apply_status_for
from .models import Application, HardshipCategory, Material, TimelineEvent
from .transitions import transition
from .withdrawn_answers import withdrawn_answers_for

if TYPE_CHECKING:
    import datetime

    from django.core.files.uploadedfile import UploadedFile

    from servicehall.accounts.models import User
    from servicehall.subsidy.models import GraduationYear

S = ApplicationStatus
# What the form may set; everything else comes from the account or the card.
FORM_FIELDS = (
    "ethnic_group",
    "education_level",
    "school",
    "student_number",
    "department",
    "major",
    "mobile",
    "hukou_region",
    "hukou_address",
    "residence_region",
    "residence_address",
)
MAX_FILES_PER_REQUIREMENT = 5
MB = 1024 * 1024


@dataclass(frozen=True)
class Outcome:
    """What a step that may be repeated (a double tap, a retried request, a second tab) did:
    the application as it now stands, and whether this call did the step (`done_now`: created
    the draft, submitted it) or found it already done by an earlier one."""

    application: Application
    done_now: bool


def _own(applicant, application):
    if application.applicant_id != applicant.pk:
        raise DomainError(_("找不到这笔申请。"), code="not_found")


def application_blank(*, applicant: User) -> Application:
    """A new application filled with the person's own details, not saved: what the form shows
    before the person has sent anything (opening the form writes nothing)."""
    return Application(
        applicant=applicant,
        name=applicant.name,
        gender=applicant.gender,
        id_number=applicant.id_number,
        id_number_index=applicant.id_number_index,
        mobile=applicant.mobile,
    )


def application_start(*, applicant: User) -> Outcome:
    """The person's claim that still counts, or a new draft (done_now: this call created it).
    Two tabs racing here get the same draft: the one-claim constraint refuses the second
    insert, and only the call whose insert counted says it created the draft."""
    if not applicant.is_person or not applicant.id_number:
        raise DomainError(_("只有实名注册的个人用户可以申报。"), code="not_person")
    existing = selectors.application_active_for(applicant)
    if existing is not None:
        return Outcome(existing, done_now=False)
    try:
        with transaction.atomic():
            created = application_blank(applicant=applicant)
            created.save(force_insert=True)
    except IntegrityError:
        return Outcome(selectors.application_active_for(applicant), done_now=False)
    return Outcome(created, done_now=True)


# Text fields stored as "" when left empty; the other form fields (choices, regions) as None.
TEXT_FIELDS = frozenset(
    {"student_number", "department", "major", "mobile", "hukou_address", "residence_address"}
)


def _apply_form_data(application, data: dict, *, graduation_year=None):
    for field in FORM_FIELDS:
        if field not in data:
            continue
        value = data[field]
        if value is None:
            value = "" if field in TEXT_FIELDS else None
        setattr(application, field, value)
    if graduation_year is not None:
        application.graduation_year = graduation_year
    if "category" in data:
        code = data["category"] or ""
        application.category_code = code
        application.category_index = selectors.category_index(code) if code else ""


def application_save_draft(
    *, applicant: User, application: Application, data: dict, graduation_year: GraduationYear | None  =None
) -> Application:
    _own(applicant, application)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.state not in EDITABLE:
            raise DomainError(_("这笔申请已经提交，不能再修改。"), code="not_editable")
        _apply_form_data(application, data, graduation_year=graduation_year)
        application.save()
    return application


@dataclass(frozen=True)
class Filled:
    """What application_fill_from_withdrawn did: the draft as it now stands, whether this call
    started it, and the form fields it filled (none when the draft already had them all)."""

    application: Application
    created: bool
    fields: tuple[str, ...]


def application_fill_from_withdrawn(*, applicant: User) -> Filled:
    """使用上次撤回的申请信息填写, chosen by the person: their draft (started now if there is none)
    gets the answers of their last withdrawn application that are still valid, in the fields it
    leaves empty (withdrawn_answers.withdrawn_answers_for says which); nothing typed is
    overwritten, no document is attached, nothing is submitted. Repeating it fills nothing more.
    Raises DomainError: why the person cannot apply now (eligibility), "no_withdrawn", or
    "not_new" for an application that was returned to be corrected."""
    now = apply_status_for(applicant)
    if not now.can_apply:
        raise now.refusal()
    if now.withdrawn is None:
        raise DomainError(_("没有找到您撤回的申请，请直接填写。"), code="no_withdrawn")
    if now.returned:
        raise DomainError(
            _("您的申请被退回修改，请按审核意见修改后重新提交，不能使用上次撤回的申请信息。"), code="not_new"
        )
    started = application_start(applicant=applicant)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=started.application.pk)
        if application.state != S.DRAFT:  # submitted meanwhile, from another tab
            raise DomainError(_("这笔申请已经提交，不能再修改。"), code="not_editable")
        answers = withdrawn_answers_for(now, application)
        if answers:
            _apply_form_data(application, answers, graduation_year=now.graduation_year)
            application.save()
    return Filled(application, created=started.done_now, fields=tuple(sorted(answers)))


def application_start_from_invitation(*, applicant: User, answers: dict, note: str) -> Filled:
    """确认申请 from a 政策找人 invitation: the person's draft (started now if there is none) gets
    the answers the school list, the registry and the card gave, in the fields it leaves empty
    (nothing typed is overwritten), and its timeline says it began from an invitation (`note`:
    the finding's sentence), once. Nothing is submitted: the person checks the form, completes
    it and submits as anyone does. Raises DomainError: why the person cannot apply now."""
    now = apply_status_for(applicant)
    if not now.can_apply:
        raise now.refusal()
    started = application_start(applicant=applicant)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=started.application.pk)
        if application.state != S.DRAFT:  # submitted meanwhile, from another tab
            raise DomainError(_("这笔申请已经提交，不能再修改。"), code="not_editable")
        empty = {key: value for key, value in answers.items()
                 if value not in (None, "") and not _answered(application, key)}
        _apply_form_data(application, empty, graduation_year=now.graduation_year)
        application.save()
        if not application.timeline.filter(action=INVITED).exists():
            TimelineEvent.objects.create(application=application, action=INVITED, from_state=S.DRAFT,
                                         to_state=S.DRAFT, actor=applicant, opinion=note)
    return Filled(application, created=started.done_now, fields=tuple(sorted(empty)))


def _answered(application, key: str) -> bool:
    if key == "category":
        return bool(application.category_code)
    return bool(getattr(application, f"{key}_id", None) or getattr(application, key, None))


def material_store(*, owner: User, upload: UploadedFile, field: str) -> Material:
    """Check an upload from its bytes (core.uploads) and keep it encrypted on disk, within the
    person's upload rate and quota (settings MATERIAL_*). The page and the API both come here."""
    _refuse_upload_rate(owner, field)
    checked = check_upload(upload, field=field)
    with transaction.atomic():
        # The owner's row is locked so that two uploads at once cannot both pass the quota.
        get_user_model().objects.select_for_update().filter(pk=owner.pk).first()
        _refuse_over_quota(owner, checked.size, field)
        material = Material(
            owner=owner,
            original_name=checked.original_name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            pages=checked.pages,
        )
        material.file.save(f"{material.id}.bin", ContentFile(encrypt_bytes(checked.content)), save=False)
        material.save()
    return material


def material_delete(*, owner: User, material: Material) -> None:
    """Delete one of the person's own materials that no application of theirs uses (我的材料):
    what frees room in their quota. A file an application uses stays, since reviewers read it."""
    if material.owner_id != owner.pk:
        raise DomainError(_("找不到所选的材料，请重新选择。"), code="not_found")
    with transaction.atomic():
        # The person's applications are locked (as application_attach locks one), so that a file
        # cannot be attached while it is being deleted.
        list(Application.objects.select_for_update().filter(applicant=owner).values_list("pk", flat=True))
        if str(material.id) in selectors.material_ids_in_use(owner):
            raise DomainError(
                _("该材料已用于您的申请，不能删除。如不再需要，请先在申报页面移除。"), code="material_in_use"
            )
        audit_record(actor=owner, action="subsidy.material_delete", target=material)
        storage, name = material.file.storage, material.file.name
        material.delete()
        transaction.on_commit(lambda: storage.delete(name))


def _refuse_upload_rate(owner, field: str) -> None:
    """Counted before the file is parsed: every attempt costs the server a parse, refused or not."""
    limit = settings.MATERIAL_UPLOADS_PER_MINUTE
    if not ratelimit.hit("material_upload", str(owner.pk), limit=limit, window=60):
        raise DomainError(
            _("上传过于频繁：每分钟最多上传%(limit)d个文件，请%(seconds)d秒后再试。")
            % {"limit": limit, "seconds": ratelimit.seconds_until_next_window(60)},
            code="material_upload_rate",
            fields=(field,),
        )


def _refuse_over_quota(owner, size: int, field: str) -> None:
    """Every material the person keeps counts, attached to an application or not."""
    kept = Material.objects.filter(owner=owner).aggregate(files=Count("id"), size=Sum("size"))
    files, used = kept["files"], kept["size"] or 0
    if files + 1 > settings.MATERIAL_QUOTA_FILES or used + size > settings.MATERIAL_QUOTA_BYTES:
        raise DomainError(
            _(
                "您保存的材料已达上限（最多%(files)d个文件、合计%(megabytes)dMB）。"
                "请到“我的材料”删除不再需要的文件后再上传。"
            )
            % {"files": settings.MATERIAL_QUOTA_FILES, "megabytes": settings.MATERIAL_QUOTA_BYTES // MB},
            code="material_quota",
            fields=(field,),
        )


def application_attach(
    *,
    applicant: User,
    application: Application,
    requirement_id: int,
    material: Material,
    category: HardshipCategory | None = None,
) -> None:
    """Attach one of the person's files to a document the category asks for. `category` is the
    one the person has just chosen on the form (saved with the draft after the uploads); by
    default the application's own. A document of another category is refused at every door."""
    _own(applicant, application)
    if material.owner_id != applicant.pk:
        raise DomainError(_("找不到这份材料。"), code="not_found")
    category = category or selectors.category_of(application)
    if category is None:
        raise DomainError(_("请选择毕业生类型"), code="no_category", fields=["category"])
    if not any(requirement.pk == requirement_id for requirement in category.materials.all()):
        raise DomainError(_("所选毕业生类型不需要这项材料。"), code="not_required", fields=["requirement_id"])
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.state not in EDITABLE:
            raise DomainError(_("这笔申请已经提交，不能再修改材料。"), code="not_editable")
        mapping = selectors.materials_map(application)
        files = mapping.setdefault(str(requirement_id), [])
        if str(material.id) not in files:
            if len(files) >= MAX_FILES_PER_REQUIREMENT:
                raise DomainError(
                    _("每项材料最多上传5个文件，请先移除不需要的文件。"),
                    code="too_many_files",
                    fields=[f"material_{requirement_id}"],
                )
            files.append(str(material.id))
        application.materials_json = json.dumps(mapping)
        application.save(update_fields=["materials_json", "updated_at"])


def application_detach(
    *, applicant: User, application: Application, requirement_id: int, material_id: str
) -> None:
    _own(applicant, application)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.state not in EDITABLE:
            raise DomainError(_("这笔申请已经提交，不能再修改材料。"), code="not_editable")
        mapping = selectors.materials_map(application)
        mapping[str(requirement_id)] = [m for m in mapping.get(str(requirement_id), []) if m != material_id]
        application.materials_json = json.dumps(mapping)
        application.save(update_fields=["materials_json", "updated_at"])


def _record_number(now) -> str:
    """YYYYMMDD + 8 random digits: unique by constraint, not guessable in sequence."""
    return f"{timezone.localtime(now):%Y%m%d}{secrets.randbelow(10**8):08d}"


def _check_complete(application, category):
    missing = [
        field
        for field in FORM_FIELDS
        if not getattr(application, field)
    ]
    if missing:
        raise DomainError(_("还有必填项没有填写，请补充后再提交。"), code="incomplete", fields=missing)
    if category is None:
        raise DomainError(_("请选择毕业生类型"), code="no_category", fields=["category"])
    attached = selectors.attached_materials(application)
    # 数据比对: a category the registries confirm needs no document (verification/rules.py).
    verified = category_verified(application)
    for requirement in category.materials.all():
        if requirement.is_required and not verified and not attached.get(requirement.pk):
            raise DomainError(
                _("请上传%(name)s") % {"name": requirement.name},
                code="material_missing",
                fields=[f"material_{requirement.pk}"],
            )


def _check_card(applicant):
    status = card_payment_status(applicant)
    if not status.ok:
        raise DomainError(
            _("补贴将发放到您的社会保障卡，请先办理社会保障卡并开通金融功能。"), code=f"card_{status.problem}"
        )
    return status.card


def _verify_after_commit(application):
    """数据比对 of the submitted application, in the background once it is committed."""
    from .tasks import check_applications

    application_id = application.pk
    transaction.on_commit(lambda: check_applications.enqueue([application_id]))


def application_submit(
    *,
    applicant: User,
    application: Application,
    data: dict,
    graduation_year: GraduationYear,
    pledged: bool,
    now: datetime.datetime | None = None,
) -> Outcome:
    """确认提交. Idempotent: a second click, a second tab or a retried request finds the
    application already submitted and gets it unchanged (done_now=False), whatever it sent."""
    _own(applicant, application)
    now = now or timezone.now()
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.state != S.DRAFT:
            if application.submitted_at is not None and application.state != S.RETURNED:
                return Outcome(application, done_now=False)
            raise DomainError(_("这笔申请当前的状态不能提交。"), code="wrong_state")
        window = selectors.window_open(timezone.localdate(now))
        if window is None or window.graduation_year_id != graduation_year.pk:
            raise DomainError(_("现在不在申报期内，不能提交申请。"), code="window_closed")
        card = _check_card(applicant)
        if not pledged:
            raise DomainError(
                _("请阅读承诺内容，并勾选“我已阅读并了解以上内容”"), code="no_pledge", fields=["pledge"]
            )
        _apply_form_data(application, data, graduation_year=graduation_year)
        category = selectors.category_of(application)
        _check_complete(application, category)
        application.window = window
        application.bank, application.account, application.account_name = card.bank, card.account, card.name
        application.pledges_accepted_at = now
        application.submitted_at = now
        transition(application, action="submit", who="applicant", actor=applicant)
        for _attempt in range(5):  # a clash of record numbers is rare; draw again
            application.record_number = _record_number(now)
            try:
                with transaction.atomic():
                    application.save()
                break
            except IntegrityError:
                continue
        else:
            raise DomainError(_("系统繁忙，请稍后再提交。"), code="busy")
        audit_record(
            actor=applicant,
            action="subsidy.submit",
            target=application,
            detail={"record_number": application.record_number},
        )
        _verify_after_commit(application)
        notify.on_commit(application, "submitted")
    return Outcome(application, done_now=True)


def application_resubmit(
    *, applicant: User, application: Application, data: dict, pledged: bool
) -> Application:
    """重新提交 after 退回修改: the same application goes back to the school."""
    _own(applicant, application)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.state != S.RETURNED:
            if application.state == S.SCHOOL_REVIEW:
                return application
            raise DomainError(_("这笔申请当前的状态不能重新提交。"), code="wrong_state")
        _check_card(applicant)
        if not pledged:
            raise DomainError(
                _("请阅读承诺内容，并勾选“我已阅读并了解以上内容”"), code="no_pledge", fields=["pledge"]
            )
        _apply_form_data(application, data)
        _check_complete(application, selectors.category_of(application))
        transition(application, action="resubmit", who="applicant", actor=applicant)
        application.first_reviewer, application.approved_flag = None, ""
        application.save()
        audit_record(actor=applicant, action="subsidy.resubmit", target=application)
        _verify_after_commit(application)
        notify.on_commit(application, "resubmitted")
    return application


def application_withdraw(*, applicant: User, application: Application) -> Application:
    """撤回, while the school has not acted (or after it returned the application)."""
    _own(applicant, application)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.state == S.WITHDRAWN:
            return application
        transition(application, action="withdraw", who="applicant", actor=applicant)
        application.save(update_fields=["state", "state_changed_at", "updated_at"])
        audit_record(actor=applicant, action="subsidy.withdraw", target=application)
        notify.on_commit(application, "withdrawn")
    return application


def draft_discard(*, applicant: User, application: Application) -> None:
    """A draft that was never submitted can be thrown away (it holds no record number)."""
    _own(applicant, application)
    Application.objects.filter(pk=application.pk, state=S.DRAFT).delete()
