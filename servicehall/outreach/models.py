"""政策找人 (免申即享): the graduating class each school lists, what matching found for each
listed student, the one invitation per window a match gets, and the background runs of the
matching. ID numbers, names and mobiles are encrypted and found through blind indexes, as
everywhere; a student's category is in the reason, which is encrypted too."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicehall.core.fields import EncryptedTextField


class GraduateImport(models.Model):
    """One upload of one school's list for one graduation year, and its line-by-line report."""

    school = models.ForeignKey(
        "reference.School", verbose_name=_("学校"), on_delete=models.PROTECT, related_name="+"
    )
    graduation_year = models.ForeignKey(
        "subsidy.GraduationYear", verbose_name=_("毕业年度"), on_delete=models.PROTECT, related_name="+"
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(_("导入时间"), default=timezone.now)
    filename = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(_("文件SHA-256"), max_length=64)
    row_count = models.PositiveIntegerField(_("数据行数"), default=0)
    imported_count = models.PositiveIntegerField(_("已导入"), default=0)
    rejected_count = models.PositiveIntegerField(_("未导入"), default=0)
    # [{"line": 7, "field": "id_number", "value": "3201**********0011", "message": "…"}], masked.
    rejected_rows = models.JSONField(_("未导入的行"), default=list, blank=True)

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("毕业生名单导入")
        verbose_name_plural = _("毕业生名单导入")

    def __str__(self) -> str:
        return f"{self.school_id}/{self.graduation_year_id} #{self.pk}"


class MatchState(models.TextChoices):
    PENDING = "pending", _("待比对")
    MATCHED = "matched", _("符合条件")
    NOT_MATCHED = "not_matched", _("未比对到")
    EXCLUDED = "excluded", _("不予邀请")


class Graduate(models.Model):
    """One listed student of a graduating class (毕业生名单). One row per person and graduation
    year: a second school listing the same ID number is refused on that line."""

    school = models.ForeignKey(
        "reference.School", verbose_name=_("学校"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    graduation_year = models.ForeignKey(
        "subsidy.GraduationYear",
        verbose_name=_("毕业年度"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    source = models.ForeignKey(
        GraduateImport, on_delete=models.SET_NULL, null=True, related_name="+", db_index=False
    )
    line = models.PositiveIntegerField(_("行号"), default=0)
    name = EncryptedTextField(_("姓名"))
    name_index = models.CharField(max_length=64)  # verification.selectors.name_index
    id_number = EncryptedTextField(_("证件号码"))
    id_number_index = models.CharField(max_length=64)
    student_number = models.CharField(_("学号"), max_length=30, blank=True)
    department = models.CharField(_("所在院系"), max_length=60, blank=True)
    major = models.CharField(_("专业"), max_length=60, blank=True)
    education_level = models.ForeignKey(
        "reference.EducationLevel",
        verbose_name=_("学历"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    mobile = EncryptedTextField(_("手机号码"), blank=True)
    listed_at = models.DateTimeField(_("导入时间"), default=timezone.now)
    # What the last matching found.
    match = models.CharField(
        _("比对结果"), max_length=12, choices=MatchState.choices, default=MatchState.PENDING
    )
    category_code = models.CharField(_("毕业生类型"), max_length=40, blank=True)
    # The finding's sentence (verification.rules.Sentence.as_json), encrypted: it names the category.
    reason = EncryptedTextField(_("比对依据"), blank=True)
    card_problem = models.CharField(_("社保卡情况"), max_length=24, blank=True)
    matched_at = models.DateTimeField(_("比对时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("毕业生名单")
        verbose_name_plural = _("毕业生名单")
        constraints = [
            models.UniqueConstraint(
                fields=["graduation_year", "id_number_index"], name="outreach_one_listing_per_year"
            ),
        ]
        indexes = [
            models.Index(fields=["school", "graduation_year", "match"], name="outreach_graduate_scope")
        ]

    def __str__(self) -> str:
        return f"{self.school_id}/{self.graduation_year_id}:{self.pk}"


class Invitation(models.Model):
    """One invitation of one matched graduate for one application window: the SMS, the single-use
    link (only its digest is kept), and what the person did with it."""

    graduate = models.ForeignKey(Graduate, on_delete=models.CASCADE, related_name="invitations")
    window = models.ForeignKey("subsidy.ApplicationWindow", on_delete=models.PROTECT, related_name="+")
    id_number_index = models.CharField(max_length=64, db_index=True)
    token_digest = models.CharField(max_length=64, unique=True)
    category_code = models.CharField(_("毕业生类型"), max_length=40)
    reason = EncryptedTextField(_("比对依据"))
    card_problem = models.CharField(_("社保卡情况"), max_length=24, blank=True)
    created_at = models.DateTimeField(_("邀请时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("链接有效期至"))
    sms_id = models.PositiveBigIntegerField(null=True, blank=True)
    told_in_hall_at = models.DateTimeField(_("站内消息时间"), null=True, blank=True)
    link_used_at = models.DateTimeField(_("链接使用时间"), null=True, blank=True)
    opened_at = models.DateTimeField(_("查看时间"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    application = models.ForeignKey(
        "subsidy.Application", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    declined_at = models.DateTimeField(_("不需要时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("政策找人邀请")
        verbose_name_plural = _("政策找人邀请")
        constraints = [
            models.UniqueConstraint(fields=["graduate", "window"], name="outreach_one_invitation_per_window"),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(declined_at__isnull=True),
                name="outreach_confirmed_or_declined",
            ),
        ]

    def __str__(self) -> str:
        return f"invitation #{self.pk}"

    @property
    def concluded(self) -> bool:
        return self.confirmed_at is not None or self.declined_at is not None


class MatchRun(models.Model):
    """One background run of the matching (for a graduation year, for one school or all), with
    its progress; a run whose heartbeat stopped had its worker die and is taken up again."""

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("比对中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("未完成")

    graduation_year = models.ForeignKey("subsidy.GraduationYear", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(
        "reference.School", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("发起时间"), default=timezone.now)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.QUEUED)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    total = models.PositiveIntegerField(_("名单人数"), default=0)
    done_count = models.PositiveIntegerField(_("已比对"), default=0)
    last_pk = models.PositiveBigIntegerField(default=0)  # where a taken-up run goes on from
    matched_count = models.PositiveIntegerField(_("符合条件"), default=0)
    invited_count = models.PositiveIntegerField(_("新发邀请"), default=0)
    message = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("政策找人比对")
        verbose_name_plural = _("政策找人比对")

    def __str__(self) -> str:
        return f"match run #{self.pk}"

    @property
    def progress(self) -> int:
        return (
            100
            if self.state == self.State.DONE
            else (100 * self.done_count // self.total if self.total else 0)
        )

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
