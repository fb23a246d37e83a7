"""The subsidy: each graduation year's settings (windows, hardship categories and their
materials), applications with their timeline, and the materials people upload."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicehall.accounts.models import Gender
from servicehall.core.fields import EncryptedTextField
from servicehall.reference.models import Bank, EducationLevel, EthnicGroup, Region, School

from .constants import ACTION_LABELS, CLAIM_RELEASED, ApplicationStatus

AMOUNT_FEN_DEFAULT = 150_000  # 1500 yuan, 苏人社发〔2019〕198号


class GraduationYear(models.Model):
    """毕业年度: the year a student graduates (2027 for the class applying in September 2026)."""

    year = models.PositiveSmallIntegerField(_("毕业年度"), primary_key=True)
    amount_fen = models.PositiveIntegerField(_("补贴标准（分）"), default=AMOUNT_FEN_DEFAULT)
    publicity_days = models.PositiveSmallIntegerField(_("公示期（工作日）"), default=5)
    school_review_days = models.PositiveSmallIntegerField(_("学校审核时限（工作日）"), default=5)
    # From the school's approval to the published list (待公示), so that no approved student waits
    # unseen for a school that forgot to publish.
    publish_days = models.PositiveSmallIntegerField(_("发布公示时限（工作日）"), default=3)
    first_review_days = models.PositiveSmallIntegerField(_("人社初审时限（工作日）"), default=5)
    second_review_days = models.PositiveSmallIntegerField(_("人社复审时限（工作日）"), default=5)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("毕业年度")
        verbose_name_plural = _("毕业年度")

    def __str__(self):
        return str(self.year)

    @property
    def amount_yuan(self):
        return self.amount_fen // 100


class WindowKind(models.TextChoices):
    MAIN = "main", _("申报期")
    SUPPLEMENTARY = "supplementary", _("补发申报期")


class ApplicationWindow(models.Model):
    """申报期 (9月1日–9月30日 of the graduation academic year) and 补发申报期 (5月1日–5月31日),
    both days included, in China Standard Time."""

    graduation_year = models.ForeignKey(
        GraduationYear, on_delete=models.CASCADE, related_name="windows", verbose_name=_("毕业年度")
    )
    kind = models.CharField(_("类型"), max_length=16, choices=WindowKind.choices)
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("结束日期"), help_text=_("当天24时截止"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["opens_on"]
        verbose_name = _("申报期")
        verbose_name_plural = _("申报期")
        constraints = [
            models.UniqueConstraint(fields=["graduation_year", "kind"], name="subsidy_one_window_per_kind"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="subsidy_window_closes_after_opening"
            ),
        ]

    def __str__(self):
        return f"{self.graduation_year_id} {self.get_kind_display()} {self.opens_on}–{self.closes_on}"

    def is_open_on(self, day):
        return self.opens_on <= day <= self.closes_on


class HardshipCategory(models.Model):
    """毕业生类型 (困难类别), configured per graduation year."""

    graduation_year = models.ForeignKey(
        GraduationYear, on_delete=models.CASCADE, related_name="categories", verbose_name=_("毕业年度")
    )
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=40)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["graduation_year", "order", "code"]
        verbose_name = _("毕业生类型")
        verbose_name_plural = _("毕业生类型")
        constraints = [
            models.UniqueConstraint(
                fields=["graduation_year", "code"], name="subsidy_one_category_code_per_year"
            ),
        ]

    def __str__(self):
        return self.name


class RequiredMaterial(models.Model):
    """A document a hardship category asks for."""

    category = models.ForeignKey(
        HardshipCategory, on_delete=models.CASCADE, related_name="materials", verbose_name=_("毕业生类型")
    )
    name = models.CharField(_("材料名称"), max_length=80)
    note = models.CharField(_("要求"), max_length=300, blank=True)
    is_required = models.BooleanField(_("必须上传"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")

    def __str__(self):
        return self.name


class Application(models.Model):
    """One claim. Personal data (ID number, mobile, bank account, hardship category, the
    materials chosen) is encrypted; blind indexes find and de-duplicate it."""

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("申请人"),
    )
    # Every index of this table is written again on each move of the state (a move is never
    # PostgreSQL's in-place "HOT" update, the state being indexed): only indexes a query uses are
    # kept. A foreign key to reference data (bank, region, ethnic group, education level) has
    # none, its rows being deleted (and so looked up) only by an operator; the school's and the
    # state's are the queue indexes' first columns; a unique text has no LIKE copy.
    record_number = models.CharField(_("申报编号"), max_length=16, null=True, blank=True)
    state = models.CharField(
        _("状态"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    graduation_year = models.ForeignKey(
        GraduationYear, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("毕业年度")
    )
    window = models.ForeignKey(
        ApplicationWindow, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("申报期")
    )
    category_code = EncryptedTextField(_("毕业生类型"), blank=True)
    category_index = models.CharField(max_length=64, blank=True)

    # 个人基本信息
    name = models.CharField(_("姓名"), max_length=30)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    id_number = EncryptedTextField(_("公民身份号码"))
    # One claim per person for life is held by a constraint on this index, not on the account:
    # an ID number can move to a new account after an appeal.
    id_number_index = models.CharField(max_length=64)
    ethnic_group = models.ForeignKey(
        EthnicGroup, on_delete=models.PROTECT, null=True, blank=True, db_index=False, verbose_name=_("民族")
    )
    education_level = models.ForeignKey(
        EducationLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        verbose_name=_("学历"),
    )
    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("毕业学校"),
        related_name="+",
        db_index=False,
    )
    student_number = models.CharField(_("学号"), max_length=30, blank=True)
    department = models.CharField(_("所在院系"), max_length=60, blank=True)
    major = models.CharField(_("专业"), max_length=60, blank=True)
    mobile = EncryptedTextField(_("移动电话"), blank=True)
    hukou_region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("户籍区划"),
        db_index=False,
    )
    hukou_address = models.CharField(_("户籍地址"), max_length=120, blank=True)
    residence_region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("常住区划"),
        db_index=False,
    )
    residence_address = models.CharField(_("居住地址"), max_length=120, blank=True)

    # From the social security card at submission: where the money goes.
    bank = models.ForeignKey(
        Bank, on_delete=models.PROTECT, null=True, blank=True, db_index=False, verbose_name=_("开户银行")
    )
    account_name = models.CharField(_("开户名称"), max_length=30, blank=True)
    account = EncryptedTextField(_("银行账号"), blank=True)

    approved_flag = models.CharField(_("核准标志"), max_length=20, blank=True)
    # When the state last changed: the queues sort by it and count due dates from it.
    state_changed_at = models.DateTimeField(null=True, blank=True)
    publicity = models.ForeignKey(
        "Publicity", on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    # 复审 is never done by the person who did 初审.
    first_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # {"<required material id>": ["<material uuid>", ...]}, encrypted: it reveals the category.
    materials_json = EncryptedTextField(blank=True, default="")
    pledges_accepted_at = models.DateTimeField(_("承诺时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("求职创业补贴申请")
        verbose_name_plural = _("求职创业补贴申请")
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_index"],
                condition=~Q(state__in=sorted(CLAIM_RELEASED)),
                name="subsidy_one_claim_per_person",
            ),
            models.UniqueConstraint(fields=["record_number"], name="subsidy_record_number_unique"),
        ]
        indexes = [models.Index(fields=["id_number_index"], name="subsidy_application_id_number")]
        # The reviewers' queues list one state newest first, 50 at a time: two indexes made by
        # migration 0006 in each database's own words (PostgreSQL needs NULLS LAST written,
        # SQLite refuses it in an index and sorts NULLs last in DESC anyway).

    def __str__(self):
        return self.record_number or f"draft {self.pk}"


class TimelineEvent(models.Model):
    """查看进度: one row per step, who, which organisation, opinion, when."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="timeline")
    action = models.CharField(max_length=32)
    from_state = models.CharField(max_length=20, choices=ApplicationStatus.choices)
    to_state = models.CharField(max_length=20, choices=ApplicationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opinion = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.application_id} {self.from_state}→{self.to_state}"

    @property
    def action_label(self):
        return ACTION_LABELS.get(self.action, self.action)


class Publicity(models.Model):
    """学校公示: one school's list of approved applications, open for N working days."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    notice = models.OneToOneField("notices.Notice", on_delete=models.PROTECT, related_name="publicity")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at"]

    def __str__(self):
        return f"{self.organisation_id} {self.published_at:%Y-%m-%d}"


class ObjectionState(models.TextChoices):
    OPEN = "open", _("待处理")
    DISMISSED = "dismissed", _("异议不成立")
    UPHELD = "upheld", _("异议成立")


class Objection(models.Model):
    """异议 raised against one entry of a 公示."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="objections")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("异议理由"))
    state = models.CharField(max_length=12, choices=ObjectionState.choices, default=ObjectionState.OPEN)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    response = models.TextField(_("处理意见"), blank=True)
    raised_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["raised_at"]

    def __str__(self):
        return f"{self.application_id} {self.state}"


def _material_path(instance, filename):
    return f"materials/{instance.owner_id}/{instance.id}.bin"


class Material(models.Model):
    """An uploaded document, encrypted on disk. 我的材料 keeps them for reuse."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="materials")
    file = models.FileField(upload_to=_material_path)
    original_name = EncryptedTextField(_("文件名"))
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    pages = models.PositiveSmallIntegerField(null=True, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("材料")
        verbose_name_plural = _("材料")

    def __str__(self):
        return str(self.id)

    @property
    def is_pdf(self):
        return self.content_type == "application/pdf"


class RetentionPolicy(models.Model):
    """How long the hall keeps what people leave behind, set by an operator (one row): drafts
    nobody has touched, and the uploaded files of concluded cases. The application itself, its
    timeline and the audit trail are kept; only the files and the abandoned drafts go."""

    draft_days = models.PositiveSmallIntegerField(
        _("未提交草稿保存天数"),
        default=365,
        help_text=_("草稿自最后一次修改起超过该天数即删除，其未被使用的上传材料一并删除"),
    )
    material_days = models.PositiveSmallIntegerField(
        _("办结申请材料保存天数"),
        default=1095,
        help_text=_("申请办结（已发放、不予受理、审核不通过、已撤回）后超过该天数，删除其上传材料"),
    )

    graduate_list_days = models.PositiveSmallIntegerField(
        _("毕业生名单保存天数"),
        default=90,
        help_text=_("学校导入的毕业生名单（政策找人）在该毕业年度最后一个申报期结束后超过该天数即删除"),
    )

    class Meta:
        verbose_name = _("数据保存期限")
        verbose_name_plural = _("数据保存期限")
        constraints = [
            models.CheckConstraint(condition=Q(draft_days__gte=30), name="subsidy_retention_drafts_30_days"),
            models.CheckConstraint(
                condition=Q(material_days__gte=180), name="subsidy_retention_materials_180_days"
            ),
        ]

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "RetentionPolicy":
        return cls.objects.order_by("pk").first() or cls()
from .check_models import CheckResult  # noqa: E402,F401 - a model module of this app
