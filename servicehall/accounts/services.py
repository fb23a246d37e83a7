"""Every write about people and organisations: registration, the three ways to log in, the
staff second factor, passwords, mobile changes and account appeals."""

from __future__ import annotations

import hashlib
import logging
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from servicehall.audit.services import audit_record
from servicehall.core import ratelimit
from servicehall.core.actions import Action
from servicehall.core.errors import DomainError
from servicehall.core.http import client_ip
from servicehall.core.images import reencode_photo
from servicehall.core.masking import mask_mobile
from servicehall.core.storage import read_sealed, sealed
from servicehall.messaging.models import CodePurpose
from servicehall.messaging.services import otp_send, otp_verify, sms_request_admit, sms_send
from servicehall.reference.models import Region, School

from .identity import check_id_document, check_mobile, check_name
from .models import (
    ROLE_ORGANISATION_KIND,
    STAFF_ROLES,
    AccountAppeal,
    Organisation,
    QrLoginToken,
    Role,
    User,
)
from .permissions import ensure_may
from .selectors import (
    id_number_index,
    login_locked_until,
    mobile_index,
    user_find_by_id_number,
    user_find_by_mobile,
)
from .sessions import account_sign_out_everywhere

logger = logging.getLogger(__name__)
QR_TOKEN_LIFETIME = timedelta(minutes=2)
PERSON_SMS_PURPOSES = {
    CodePurpose.REGISTER, CodePurpose.LOGIN, CodePurpose.RESET_PASSWORD,
    CodePurpose.CHANGE_MOBILE, CodePurpose.APPEAL,
}


def _check_password(password: str, *, id_number: str = "", mobile: str = "", field="password"):
    try:
        validate_password(password, user=User(id_number=id_number, mobile=mobile))
    except ValidationError as exc:
        raise DomainError(exc.messages[0], code="password_rule", fields=(field,)) from exc


def _id_bound_error() -> DomainError:
    return DomainError(
        _("该证件号码已被其他账号绑定。如非本人注册，请通过用户申诉解除绑定"),
        code="id_bound", fields=("id_number",),
    )


def _mobile_bound_error(field: str = "mobile") -> DomainError:
    return DomainError(
        _("该手机号码已注册，请直接登录；忘记密码可通过短信找回"), code="mobile_bound", fields=(field,)
    )


def _sms_notice(*, purpose: str, owner: User | None, staff: bool) -> str | None:
    """The SMS sent instead of a code when the step cannot go on for this number (so the
    phone tells the truth while the asker learns nothing), or None when a code is due."""
    # Always Chinese, like the codes: SMS templates are registered with the carriers.
    with translation.override("zh-hans"):
        if staff:
            if owner is None or owner.is_person or not owner.is_active:
                return _(
                    "您的手机号码不是在用的单位账号的验证手机，无法设置或重置单位账号密码，"
                    "请联系本单位管理员。如非本人操作，请忽略本短信。"
                )
        elif purpose == CodePurpose.REGISTER and owner is not None:
            return _(
                "您的手机号码已注册，无需再次注册：请直接登录；忘记密码可在登录页通过"
                "“忘记密码”用短信找回。如非本人操作，请忽略本短信。"
            )
        elif purpose in (CodePurpose.LOGIN, CodePurpose.RESET_PASSWORD) and (
            owner is None or not owner.is_person
        ):
            return _(
                "您的手机号码尚未注册个人账号，因此没有发送验证码。如需办理业务，请先在"
                "网上服务大厅注册。如非本人操作，请忽略本短信。"
            )
    return None


def sms_code_request(
    *, mobile: str, purpose: str, client_address: str, actor: User | None = None, staff: bool = False
) -> int:
    """Send a one-time code for a person's step; returns seconds until the next may be sent.
    Every request is counted first, answered or not (messaging's sms_request_admit: the one
    limiter of the pages and the API). The answer never says whether a number is registered:
    where the step cannot go on for the number (a register code for a registered number, a
    login or reset code for an unregistered one; with `staff`, the reset of a staff account
    for a number that is no active staff member's), the phone gets a notice saying so instead
    of a code, counted, limited and answered exactly like a code. change_mobile is for a
    logged-in person only, who is told at once when the new number is taken."""
    if purpose not in PERSON_SMS_PURPOSES or (staff and purpose != CodePurpose.RESET_PASSWORD):
        raise DomainError(_("不支持的验证码用途"), code="bad_purpose")
    sms_request_admit(mobile=mobile, client_address=client_address)
    mobile = check_mobile(mobile)
    if purpose == CodePurpose.CHANGE_MOBILE:
        if not getattr(actor, "is_authenticated", False):
            raise DomainError(_("请先登录"), code="login_required")
        if user_find_by_mobile(mobile) is not None:
            raise _mobile_bound_error()
        return otp_send(mobile=mobile, purpose=purpose, client_address=client_address)
    notice = _sms_notice(purpose=purpose, owner=user_find_by_mobile(mobile), staff=staff)
    return otp_send(mobile=mobile, purpose=purpose, client_address=client_address, notice=notice)


def person_register(
    *, id_type: str, id_number: str, name: str, mobile: str, password: str, sms_code: str,
    client_address: str = "",
) -> User:
    facts = check_id_document(id_type, id_number)
    mobile = check_mobile(mobile)
    name = check_name(name)
    _check_password(password, id_number=facts.id_number, mobile=mobile)
    if user_find_by_id_number(facts.id_number):
        raise _id_bound_error()
    # The code is checked outside the transaction, so a wrong try is counted even though
    # nothing else is written, and a form error above does not burn a good code. It comes
    # before the mobile's check: a registered number never got a register code (its phone got
    # a notice), so a wrong code is refused alike and the answer does not tell.
    otp_verify(mobile=mobile, purpose=CodePurpose.REGISTER, code=sms_code)
    if user_find_by_mobile(mobile):
        raise _mobile_bound_error()
    try:
        return _person_save(facts=facts, name=name, mobile=mobile, password=password,
                            action="account.register", client_address=client_address)
    except IntegrityError as exc:  # the same ID or mobile registered a moment ago
        raise _id_bound_error() from exc


def _person_save(*, facts, name, mobile, password, action, client_address: str = "") -> User:
    user = User(
        username=f"p{uuid.uuid4().hex[:20]}", role=Role.APPLICANT, name=name,
        id_type=facts.id_type, id_number=facts.id_number,
        id_number_index=id_number_index(facts.id_number), mobile=mobile,
        mobile_index=mobile_index(mobile), gender=facts.gender, birth_date=facts.birth_date,
    )
    user.set_password(password)
    with transaction.atomic():
        user.save()
        audit_record(actor=user, action=action, target=user, client_address=client_address)
    return user


def person_login_by_sms(*, mobile: str, sms_code: str, client_address: str = "") -> User:
    mobile = check_mobile(mobile)
    user = user_find_by_mobile(mobile)
    # The code first: an unregistered number never got one (its phone got a notice), so it is
    # refused like a wrong code and the answer does not tell whether the number is registered.
    otp_verify(mobile=mobile, purpose=CodePurpose.LOGIN, code=sms_code)
    if user is None or not user.is_person:
        raise DomainError(_("该手机号码尚未注册，请先注册"), code="mobile_unknown", fields=("mobile",))
    if not user.is_active:
        raise DomainError(_("该账号已停用，请联系客服"), code="inactive")
    audit_record(actor=user, action="account.login.sms", target=user, client_address=client_address)
    return user


LOGIN_ADDRESS_WINDOW = 15 * 60


def login_address_blocked(*, client_address: str) -> bool:
    """Too many failed logins from one address, whichever accounts they tried. The limit is
    high because a whole campus often shares one address (see docs/architecture.md)."""
    failures = ratelimit.count("login-fail-ip", client_address, window=LOGIN_ADDRESS_WINDOW)
    return failures >= settings.LOGIN_FAILURES_PER_ADDRESS


def login_failure_recorded(*, client_address: str) -> None:
    ratelimit.hit("login-fail-ip", client_address, limit=settings.LOGIN_FAILURES_PER_ADDRESS,
                  window=LOGIN_ADDRESS_WINDOW)


def login_recorded(*, user: User, method: str, client_address: str = "") -> None:
    audit_record(actor=user, action=f"account.login.{method}", target=user, client_address=client_address)


def login_by_password(*, request: HttpRequest, identifier: str, password: str, kind: str = "person") -> User:
    """账号密码 for the pages and the API alike. `request` is Django's HttpRequest: django-axes
    counts failures through it and marks it `axes_locked_out` when the account is locked.
    Raises DomainError "login_address_blocked", "login_locked" or "login_failed"."""
    ip = client_ip(request)
    if login_address_blocked(client_address=ip):
        raise DomainError(_("该网络地址登录失败次数过多，请15分钟后再试"), code="login_address_blocked")
    user = authenticate(request, identifier=identifier, password=password, kind=kind)
    if user is not None:
        return user
    login_failure_recorded(client_address=ip)
    if getattr(request, "axes_locked_out", False):
        until = timezone.localtime(
            login_locked_until(request, identifier=identifier, kind=kind) or timezone.now()
        )
        raise DomainError(
            _("登录失败次数过多，账号已暂时锁定，请于{time}后再试，或通过忘记密码重置").format(
                time=time_format(until, "H:i")
            ),
            code="login_locked",
        )
    raise DomainError(_("账号或密码错误，请重新输入"), code="login_failed")


def password_reset(
    *, mobile: str, sms_code: str, new_password: str, client_address: str = "", staff: bool = False
) -> User:
    """忘记密码 by SMS code: people on the personal page; staff (`staff=True`) on the
    organisation login's 设置或重置密码, which is also how a new staff member sets a first one."""
    mobile = check_mobile(mobile)
    user = user_find_by_mobile(mobile)
    if staff:
        known = user is not None and not user.is_person and user.is_active
    else:
        known = user is not None and user.is_person
    # The same checks in the same order for any number, the code before the number's owner:
    # a number the step cannot serve never got a code, so the answer does not tell.
    _check_password(new_password, id_number=user.id_number if known else "", mobile=mobile,
                    field="new_password")
    otp_verify(mobile=mobile, purpose=CodePurpose.RESET_PASSWORD, code=sms_code)
    if staff and not known:
        raise DomainError(_("该手机号码不是在用的单位账号的验证手机，请联系本单位管理员"),
                          code="mobile_unknown", fields=("mobile",))
    if not known:
        raise DomainError(_("该手机号码尚未注册，请先注册"), code="mobile_unknown", fields=("mobile",))
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        audit_record(actor=user, action="account.password.reset", target=user, client_address=client_address)
        account_sign_out_everywhere(
            user=user, reason="password_reset", actor=user, client_address=client_address
        )
    return user


def password_change(*, user: User, old_password: str, new_password: str, client_address: str = "") -> None:
    if not user.check_password(old_password):
        raise DomainError(_("当前密码不正确"), code="wrong_password", fields=("old_password",))
    _check_password(new_password, id_number=user.id_number, mobile=user.mobile,
                    field="new_password")
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        audit_record(actor=user, action="account.password.change", target=user, client_address=client_address)
        account_sign_out_everywhere(
            user=user, reason="password_change", actor=user, client_address=client_address
        )


def mobile_change(*, user: User, password: str, new_mobile: str, sms_code: str, client_address: str = ""):
    if not user.check_password(password):
        raise DomainError(_("登录密码不正确"), code="wrong_password", fields=("password",))
    new_mobile = check_mobile(new_mobile)
    if new_mobile == user.mobile:
        raise DomainError(_("新手机号码与当前号码相同"), code="same_mobile", fields=("mobile",))
    if user_find_by_mobile(new_mobile):
        raise _mobile_bound_error()
    otp_verify(mobile=new_mobile, purpose=CodePurpose.CHANGE_MOBILE, code=sms_code)
    old_mobile = user.mobile
    try:
        with transaction.atomic():
            user.mobile, user.mobile_index = new_mobile, mobile_index(new_mobile)
            user.save(update_fields=["mobile", "mobile_index"])
            audit_record(
                actor=user,
                action="account.mobile.change",
                target=user,
                client_address=client_address,
                detail={"to": mask_mobile(new_mobile)},
            )
            account_sign_out_everywhere(
                user=user, reason="mobile_change", actor=user, client_address=client_address
            )
            sms_send(mobile=old_mobile, kind="notice", text=_(
                "【江苏人社】您的账号已将手机号码更换为{mobile}。如非本人操作，请立即联系客服。"
            ).format(mobile=mask_mobile(new_mobile)))
    except IntegrityError as exc:
        raise _mobile_bound_error() from exc


# --- Organisation staff: password, then an SMS code to the staff member's own mobile. ---

def staff_login_begin(*, user: User, client_address: str) -> int:
    if user.role not in STAFF_ROLES or not user.mobile:
        raise DomainError(_("该账号未绑定手机号码，无法完成登录验证，请联系管理员"), code="no_mobile")
    return otp_send(mobile=user.mobile, purpose=CodePurpose.STAFF_LOGIN, client_address=client_address)


def staff_login_verify(*, user: User, sms_code: str, client_address: str = "") -> None:
    otp_verify(mobile=user.mobile, purpose=CodePurpose.STAFF_LOGIN, code=sms_code)
    audit_record(actor=user, action="account.login.staff", target=user, client_address=client_address)


def organisation_create(
    *,
    name: str,
    kind: str,
    region: Region | None = None,
    school: School | None = None,
    parent: Organisation | None = None,
) -> Organisation:
    return Organisation.objects.create(
        name=name, kind=kind, region=region, school=school, parent=parent
    )


def staff_create(
    *, actor: User | None, username: str, name: str, role: str, organisation: Organisation, mobile: str,
    password: str | None,
    client_address: str = "",
) -> User:
    """A staff account. Without a password (an operator's invitation, staff_accounts.py) the
    account cannot log in until its holder sets one by SMS code."""
    if role not in STAFF_ROLES:
        raise DomainError(_("请选择工作人员角色"), code="bad_role", fields=("role",))
    if organisation.kind != ROLE_ORGANISATION_KIND[role]:
        raise DomainError(_("角色与所属单位类型不一致"), code="role_org", fields=("organisation",))
    mobile = check_mobile(mobile)
    if password is not None:
        _check_password(password, mobile=mobile)
    user = User(
        username=username, name=name, role=role, organisation=organisation, mobile=mobile,
        mobile_index=mobile_index(mobile), is_staff=role == Role.OPERATOR,
    )
    user.set_password(password)  # None: an unusable password
    with transaction.atomic():
        user.save()
        audit_record(actor=actor, action="account.staff.create", target=user,
                     detail={"role": role, "organisation": organisation.pk}, client_address=client_address)
    return user


# --- 扫码登录: the computer shows a QR code, a logged-in phone confirms it. ---

def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def qr_token_create() -> tuple[QrLoginToken, str, str]:
    """Returns the row, the token the QR code carries and the secret the computer keeps."""
    token, secret = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    row = QrLoginToken.objects.create(
        token_hash=_digest(token), browser_secret_hash=_digest(secret),
        expires_at=timezone.now() + QR_TOKEN_LIFETIME,
    )
    return row, token, secret


def _qr_for_decision(token: str) -> QrLoginToken:
    row = QrLoginToken.objects.select_for_update().filter(token_hash=_digest(token)).first()
    if row is None or row.expires_at <= timezone.now():
        raise DomainError(_("二维码已过期，请在电脑上刷新二维码后重新扫描"), code="qr_expired")
    if row.status != QrLoginToken.Status.PENDING:
        raise DomainError(_("该二维码已使用，请在电脑上刷新二维码后重新扫描"), code="qr_used")
    return row


def qr_token_check(*, token: str) -> None:
    """Raises the same message the decision would, so the phone is told before it decides."""
    with transaction.atomic():
        _qr_for_decision(token)


def qr_token_decide(*, actor: User, token: str, confirm: bool, client_address: str = "") -> None:
    if not (actor.is_authenticated and actor.is_person):
        raise DomainError(_("请先在手机上登录个人账号"), code="login_required")
    with transaction.atomic():
        row = _qr_for_decision(token)
        row.status = QrLoginToken.Status.CONFIRMED if confirm else QrLoginToken.Status.REFUSED
        row.user = actor if confirm else None
        row.decided_at = timezone.now()
        row.save(update_fields=["status", "user", "decided_at"])
        audit_record(actor=actor, action="account.qr." + ("confirm" if confirm else "refuse"),
                     target=row, client_address=client_address)


def qr_token_take(*, token_id: int, secret: str) -> tuple[str, User | None]:
    """The computer asks how its QR code is doing. A confirmed code is used up here, once."""
    with transaction.atomic():
        row = QrLoginToken.objects.select_for_update().filter(pk=token_id).first()
        if row is None or not secrets.compare_digest(row.browser_secret_hash, _digest(secret)):
            return "expired", None
        if row.status == QrLoginToken.Status.CONFIRMED:
            row.status = QrLoginToken.Status.USED
            row.save(update_fields=["status"])
            return "confirmed", row.user
        if row.status == QrLoginToken.Status.PENDING and row.expires_at <= timezone.now():
            return "expired", None
        if row.status == QrLoginToken.Status.USED:
            return "expired", None
        return row.status, None


# --- 用户申诉: release an ID number bound to someone else's account. ---

def appeal_submit(
    *, id_type: str, id_number: str, name: str, mobile: str, sms_code: str, photo: UploadedFile, reason: str,
    client_address: str = "",
) -> AccountAppeal:
    facts = check_id_document(id_type, id_number)
    name = check_name(name)
    mobile = check_mobile(mobile)
    photo_bytes = reencode_photo(photo, field="id_photo")
    if user_find_by_id_number(facts.id_number) is None:
        raise DomainError(
            _("该证件号码未被任何账号绑定，无需申诉，请直接注册"), code="id_not_bound",
            fields=("id_number",),
        )
    otp_verify(mobile=mobile, purpose=CodePurpose.APPEAL, code=sms_code)
    appeal = AccountAppeal(
        id_type=facts.id_type, id_number=facts.id_number,
        id_number_index=id_number_index(facts.id_number), name=name, mobile=mobile,
        mobile_index=mobile_index(mobile), reason=reason.strip()[:500],
    )
    with transaction.atomic():
        appeal.id_photo.save(f"{uuid.uuid4().hex}.bin", sealed(photo_bytes), save=False)
        appeal.save()
        audit_record(actor=None, action="account.appeal.submit", target=appeal, client_address=client_address)
    return appeal


def appeal_photos_encrypt() -> int:
    """Photos kept plain before issue 18, each rewritten encrypted under a new name (the storage
    never overwrites), the row pointed at it, and the plain file removed once that is committed.
    Resumable and idempotent: a row is done once its flag is set. Returns how many were done."""
    done = 0
    pending = AccountAppeal.objects.filter(id_photo_encrypted=False).exclude(id_photo="")
    for pk in list(pending.values_list("pk", flat=True)):
        with transaction.atomic():
            appeal = AccountAppeal.objects.select_for_update().get(pk=pk)
            if appeal.id_photo_encrypted:
                continue
            storage, plain_name = appeal.id_photo.storage, appeal.id_photo.name
            try:
                plain = read_sealed(appeal.id_photo, encrypted=False)
            except FileNotFoundError:
                logger.warning("appeal %s: its photo is missing from the storage", pk)
                continue
            appeal.id_photo.save(f"{uuid.uuid4().hex}.bin", sealed(plain), save=False)
            appeal.id_photo_encrypted = True
            appeal.save(update_fields=["id_photo", "id_photo_encrypted"])
            transaction.on_commit(lambda storage=storage, name=plain_name: storage.delete(name))
        done += 1
    return done


def _appeal_for_review(appeal_id: int) -> AccountAppeal:
    appeal = AccountAppeal.objects.select_for_update().get(pk=appeal_id)
    if appeal.status != AccountAppeal.Status.PENDING:
        raise DomainError(_("该申诉已处理，无需重复审核"), code="appeal_done")
    return appeal


def appeal_approve(
    *, actor: User, appeal: AccountAppeal, opinion: str = "", client_address: str = ""
) -> None:
    """Release the binding: the old account keeps its mobile and password but loses the ID
    number, so the appellant can register with it. Both people are told by SMS."""
    ensure_may(actor, Action.OPERATE, _("只有管理员可以审核用户申诉"))
    with transaction.atomic():
        appeal = _appeal_for_review(appeal.pk)
        holder = User.objects.select_for_update().filter(
            id_number_index=appeal.id_number_index
        ).first()
        if holder is not None:
            holder.id_number, holder.id_number_index = "", None
            holder.id_released_at = timezone.now()
            holder.save(update_fields=["id_number", "id_number_index", "id_released_at"])
            account_sign_out_everywhere(
                user=holder, reason="id_released", actor=actor, client_address=client_address
            )
            if holder.mobile:
                sms_send(mobile=holder.mobile, kind="notice", text=_(
                    "【江苏人社】经用户申诉审核，您账号绑定的证件号码已解除绑定。如有疑问请联系客服。"
                ))
        appeal.status = AccountAppeal.Status.APPROVED
        appeal.reviewed_by, appeal.reviewed_at = actor, timezone.now()
        appeal.opinion = opinion.strip()[:200]
        appeal.save(update_fields=["status", "reviewed_by", "reviewed_at", "opinion"])
        audit_record(
            actor=actor,
            action="account.appeal.approve",
            target=appeal,
            client_address=client_address,
            detail={"released_user": holder.pk if holder else None},
        )
        sms_send(mobile=appeal.mobile, kind="notice", text=_(
            "【江苏人社】您的用户申诉已通过，证件号码已解除原账号绑定，现在可以使用该证件注册。"
        ))


def appeal_reject(*, actor: User, appeal: AccountAppeal, opinion: str, client_address: str = "") -> None:
    ensure_may(actor, Action.OPERATE, _("只有管理员可以审核用户申诉"))
    opinion = opinion.strip()[:200]
    if not opinion:
        raise DomainError(_("请填写不通过的原因"), code="required", fields=("opinion",))
    with transaction.atomic():
        appeal = _appeal_for_review(appeal.pk)
        appeal.status = AccountAppeal.Status.REJECTED
        appeal.reviewed_by, appeal.reviewed_at, appeal.opinion = actor, timezone.now(), opinion
        appeal.save(update_fields=["status", "reviewed_by", "reviewed_at", "opinion"])
        audit_record(
            actor=actor, action="account.appeal.reject", target=appeal, client_address=client_address
        )
        sms_send(mobile=appeal.mobile, kind="notice", text=_(
            "【江苏人社】您的用户申诉未通过，原因：{opinion}。如有疑问请联系客服。"
        ).format(opinion=opinion))



def person_create_verified(*, id_type: str, id_number: str, name: str, mobile: str,
                           password: str) -> User:
    """A person whose mobile was verified elsewhere (demo data, imports): no SMS code."""
    return _person_save(facts=check_id_document(id_type, id_number), name=check_name(name),
                        mobile=check_mobile(mobile), password=password, action="account.create")
