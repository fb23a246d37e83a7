"""工作人员管理, by operators: invite a staff member (the account has no password until its
holder sets one with an SMS code, so no password is ever sent or known to the operator),
change their name, role, organisation or mobile, and disable or enable them. Staff are never
deleted: cases and the audit trail refer to them. Every change is audited with before/after."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from servicehall.audit.services import audit_record
from servicehall.core.actions import Action
from servicehall.core.errors import DomainError
from servicehall.core.masking import mask_mobile
from servicehall.messaging.services import sms_send

from . import services
from .identity import check_mobile
from .models import ROLE_ORGANISATION_KIND, STAFF_ROLES, Organisation, Role, User
from .permissions import ensure_may
from .selectors import mobile_index, user_find_by_mobile
from .sessions import account_sign_out_everywhere


def _require_operator(actor) -> None:
    ensure_may(actor, Action.OPERATE, _("只有管理员可以管理工作人员账号。"))


def _check(role, organisation, mobile, *, user=None) -> str:
    if role not in STAFF_ROLES:
        raise DomainError(_("请选择工作人员角色"), code="bad_role", fields=("role",))
    if organisation is None or not organisation.is_active:
        raise DomainError(_("请选择在用的所属单位"), code="no_org", fields=("organisation",))
    if organisation.kind != ROLE_ORGANISATION_KIND[role]:
        raise DomainError(_("角色与所属单位类型不一致"), code="role_org", fields=("organisation",))
    mobile = check_mobile(mobile)
    holder = user_find_by_mobile(mobile)
    if holder is not None and holder.pk != getattr(user, "pk", None):
        raise DomainError(_("该手机号码已被其他账号使用"), code="mobile_bound", fields=("mobile",))
    return mobile


def _invitation(user: User) -> str:
    return _(
        "您的单位账号%(username)s（%(organisation)s，%(role)s）已开通。请打开网上办事大厅“单位登录”，"
        "点“设置或重置密码”，凭本手机号收到的验证码设置密码后登录。"
    ) % {"username": user.username, "organisation": user.organisation.name, "role": user.get_role_display()}


def staff_invite(
    *,
    actor: User,
    username: str,
    name: str,
    role: str,
    organisation: Organisation,
    mobile: str,
    client_address: str = "",
) -> User:
    _require_operator(actor)
    username, name = (username or "").strip(), (name or "").strip()
    if User.objects.filter(username=username).exists():
        raise DomainError(_("该账号已存在，请换一个"), code="username_taken", fields=("username",))
    mobile = _check(role, organisation, mobile)
    with transaction.atomic():
        user = services.staff_create(
            actor=actor, username=username, name=name, role=role, organisation=organisation,
            mobile=mobile, password=None, client_address=client_address,
        )
        text = _invitation(user)
        transaction.on_commit(lambda: sms_send(mobile=mobile, text=text))
    return user


def staff_update(
    *,
    actor: User,
    user: User,
    name: str,
    role: str,
    organisation: Organisation,
    mobile: str,
    client_address: str = "",
) -> User:
    _require_operator(actor)
    if user.is_person:
        raise DomainError(_("找不到这个工作人员账号。"), code="not_found")
    mobile = _check(role, organisation, mobile, user=user)
    before = {"name": user.name, "role": user.role, "organisation": user.organisation_id,
              "mobile": mask_mobile(user.mobile)}
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.name, user.role, user.organisation = (name or "").strip(), role, organisation
        user.mobile, user.mobile_index = mobile, mobile_index(mobile)
        user.is_staff = role == Role.OPERATOR
        user.save(update_fields=["name", "role", "organisation", "mobile", "mobile_index", "is_staff"])
        after = {"name": user.name, "role": user.role, "organisation": user.organisation_id,
                 "mobile": mask_mobile(user.mobile)}
        changes = {
            key: {"before": before[key], "after": after[key]} for key in before if before[key] != after[key]
        }
        if changes:
            audit_record(
                actor=actor,
                action="account.staff.change",
                target=user,
                client_address=client_address,
                detail={"changes": changes},
            )
    return user


def staff_set_active(*, actor: User, user: User, active: bool, client_address: str = "") -> User:
    """停用 (leaving staff) or 启用. A disabled account cannot log in; its open sessions end
    and stay ended when it is enabled again (account_sign_out_everywhere)."""
    _require_operator(actor)
    if user.is_person:
        raise DomainError(_("找不到这个工作人员账号。"), code="not_found")
    if user.pk == actor.pk:
        raise DomainError(_("不能停用自己的账号。"), code="self")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_active == active:
            return user
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_record(actor=actor, action="account.staff.enable" if active else "account.staff.disable",
                     target=user, client_address=client_address)
        if not active:
            # Inactive accounts are refused on each request anyway; the new stamp also keeps
            # their old sessions dead if the account is enabled again.
            account_sign_out_everywhere(
                user=user, reason="staff_disabled", actor=actor, client_address=client_address
            )
    return user
