"""People and organisations. Personal numbers are encrypted (SM4-GCM) and found through
blind-index columns; the services in services.py keep the two in step."""

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from servicehall.core.fields import EncryptedTextField
from servicehall.core.masking import mask_id_number, mask_mobile, mask_name

DJANGO_SESSION_HASH_SALT = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"
SESSION_HASH_SALT = "servicehall.accounts.User.get_session_auth_hash"


class Organisation(models.Model):
    class Kind(models.TextChoices):
        SCHOOL = "school", _("学校")
        BUREAU = "bureau", _("人社部门")
        PLATFORM = "platform", _("平台运营")

    name = models.CharField(_("单位名称"), max_length=100, unique=True)
    kind = models.CharField(_("单位类型"), max_length=16, choices=Kind.choices)
    # The bureau's jurisdiction (a city covers its counties); a school's location.
    region = models.ForeignKey(
        "reference.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    school = models.OneToOneField(
        "reference.School", verbose_name=_("对应学校"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="organisation",
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="children",
    )
    is_active = models.BooleanField(_("启用"), default=True)
    # A bureau reviews the schools of its city, and any school assigned to it here instead
    # (the provincial bureau takes the universities the province assigns to it).
    assigned_schools = models.ManyToManyField(
        "reference.School", verbose_name=_("指定审核的学校"), blank=True, related_name="assigned_bureaus",
    )

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="school") | models.Q(school__isnull=False),
                name="organisation_school_has_school",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    APPLICANT = "applicant", _("个人")
    SCHOOL_REVIEWER = "school_reviewer", _("学校审核员")
    BUREAU_REVIEWER = "bureau_reviewer", _("人社审核员")
    PAYMENT_OFFICER = "payment_officer", _("人社财务")
    OPERATOR = "operator", _("管理员")
    AUDITOR = "auditor", _("审计员")


STAFF_ROLES = {Role.SCHOOL_REVIEWER, Role.BUREAU_REVIEWER, Role.PAYMENT_OFFICER, Role.OPERATOR, Role.AUDITOR}
ROLE_ORGANISATION_KIND = {
    Role.SCHOOL_REVIEWER: Organisation.Kind.SCHOOL,
    Role.BUREAU_REVIEWER: Organisation.Kind.BUREAU,
    Role.PAYMENT_OFFICER: Organisation.Kind.BUREAU,
    Role.OPERATOR: Organisation.Kind.PLATFORM,
    Role.AUDITOR: Organisation.Kind.PLATFORM,
}


class IdType(models.TextChoices):
    RESIDENT = "resident", _("居民身份证")
    HK_MACAO = "hk_macao", _("港澳居民来往内地通行证")
    TAIWAN = "taiwan", _("台湾居民来往大陆通行证")
    FOREIGN_PR = "foreign_pr", _("外国人永久居留身份证")


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_superuser(self, username, password=None, **extra):
        """Only for `createsuperuser`; the hall's own accounts come from services."""
        user = self.model(
            username=username, name=extra.get("name") or username, role=Role.OPERATOR,
            is_staff=True, is_superuser=True,
        )
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractBaseUser, PermissionsMixin):
    # Staff choose an account name; a person's is generated ("p" + random) and never shown:
    # people log in with their ID number or mobile.
    username = models.CharField(_("账号"), max_length=64, unique=True)
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, default=Role.APPLICANT)
    name = models.CharField(_("姓名"), max_length=30)
    id_type = models.CharField(_("证件类型"), max_length=16, choices=IdType.choices, blank=True)
    id_number = EncryptedTextField(_("证件号码"), blank=True)
    id_number_index = models.CharField(max_length=64, null=True, blank=True, unique=True)
    mobile = EncryptedTextField(_("移动电话"), blank=True)
    mobile_index = models.CharField(max_length=64, null=True, blank=True, unique=True)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("所属单位"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="staff",
    )
    is_active = models.BooleanField(_("启用"), default=True)
    is_staff = models.BooleanField(_("可进入管理后台"), default=False)
    date_joined = models.DateTimeField(_("注册时间"), default=timezone.now)
    id_released_at = models.DateTimeField(_("证件解绑时间"), null=True, blank=True)
    # Bumped by accounts.sessions.account_sign_out_everywhere: every web session (through
    # get_session_auth_hash) and every app token (api.tokens compares its copy) made under an
    # older value stops working at once.
    security_stamp = models.PositiveIntegerField(_("登录凭证版本"), default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="applicant") | models.Q(organisation__isnull=False)
                | models.Q(is_superuser=True),
                name="user_staff_has_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.masked_name if self.is_person else self.username

    def get_session_auth_hash(self):
        """Django's HMAC of the password, with the security stamp mixed in once it has been
        bumped (stamp 0 gives Django's own value, so sessions made before the stamp existed
        stay valid). Bumping the stamp ends every web session of the account."""
        return self._session_hash(secret=None)

    def get_session_auth_fallback_hash(self):
        for fallback_secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(secret=fallback_secret)

    def _session_hash(self, *, secret) -> str:
        if not self.security_stamp:
            return salted_hmac(DJANGO_SESSION_HASH_SALT, self.password, secret=secret,
                               algorithm="sha256").hexdigest()
        return salted_hmac(SESSION_HASH_SALT, f"{self.password}:{self.security_stamp}",
                           secret=secret, algorithm="sha256").hexdigest()

    @property
    def is_person(self) -> bool:
        return self.role == Role.APPLICANT

    def may(self, action) -> bool:
        """Whether this account may take `action` (core.actions.Action): accounts/permissions.py."""
        from .permissions import may

        return may(self, action)

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)


class QrLoginToken(models.Model):
    """One QR code on a computer's login page. The QR carries `token`; the computer's session
    holds `browser_secret`, so only the browser that showed the code can be logged in by it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("等待扫码确认")
        CONFIRMED = "confirmed", _("已确认")
        REFUSED = "refused", _("已拒绝")
        USED = "used", _("已登录")

    token_hash = models.CharField(max_length=64, unique=True)
    browser_secret_hash = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("扫码登录")
        verbose_name_plural = _("扫码登录")

    def __str__(self) -> str:
        return f"{self.pk}（{self.get_status_display()}）"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class AccountAppeal(models.Model):
    """用户申诉: someone whose ID number is bound to an account that is not theirs."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("未通过")

    id_type = models.CharField(_("证件类型"), max_length=16, choices=IdType.choices)
    id_number = EncryptedTextField(_("证件号码"))
    id_number_index = models.CharField(max_length=64, db_index=True)
    name = models.CharField(_("姓名"), max_length=30)
    mobile = EncryptedTextField(_("联系电话"))
    mobile_index = models.CharField(max_length=64, db_index=True)
    id_photo = models.FileField(_("身份证照片"), upload_to="appeals/%Y/%m/")
    # Photos are kept encrypted (core.storage) since issue 18; those stored before were kept
    # plain and stay readable as they are (False), until `manage.py encrypt_appeal_photos`.
    id_photo_encrypted = models.BooleanField(default=True, editable=False)
    reason = models.TextField(_("申诉说明"), blank=True, max_length=500)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        User, verbose_name=_("审核人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    opinion = models.CharField(_("审核意见"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("用户申诉")
        verbose_name_plural = _("用户申诉")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.masked_name} {self.masked_id_number}"

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)


class ProviderBinding(models.Model):
    """账号绑定: one identity at another provider (the unified identity, WeChat, Alipay) that
    logs in to this person's account. `subject` is the provider's own stable, opaque id for the
    person (OpenID Connect's `sub`, WeChat's unionid or openid, Alipay's user_id)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="provider_bindings")
    provider = models.CharField(_("登录方式"), max_length=32)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(_("绑定时间"), default=timezone.now)
    last_login_at = models.DateTimeField(_("最近登录时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("账号绑定")
        verbose_name_plural = _("账号绑定")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="binding_one_account"),
            models.UniqueConstraint(fields=["user", "provider"], name="binding_one_per_provider"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.provider}"


class ProviderTicket(models.Model):
    """A login through a provider that needs one more step (an SMS code, the password once, or
    registration): what the provider vouched for, kept until that step or its expiry. Only
    the ticket's digest is stored; the browser's session or the app holds the ticket."""

    ticket_hash = models.CharField(max_length=64, unique=True)
    provider = models.CharField(max_length=32)
    subject = models.CharField(max_length=255)
    name = models.CharField(max_length=30, blank=True)
    id_number = EncryptedTextField(blank=True)
    mobile = EncryptedTextField(blank=True)
    # The account the provider's verified mobile found: it must confirm by an SMS code.
    mobile_owner = models.ForeignKey(User, on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("第三方登录凭据")
        verbose_name_plural = _("第三方登录凭据")

    def __str__(self) -> str:
        return f"{self.provider} {self.pk}"
