"""发放: a bureau's payment batches, their lines, the files sent to the banks and the banks'
return files. Amounts are integer fen everywhere; a payment is never made twice for one
application, and the database says so (PaymentItem's constraints), not only the code."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicehall.core.fields import EncryptedTextField
from servicehall.core.masking import mask_account, mask_name


def yuan(fen: int) -> str:
    """150000 -> "1500.00": integer arithmetic, never a float."""
    sign = "-" if fen < 0 else ""
    fen = abs(int(fen))
    return f"{sign}{fen // 100}.{fen % 100:02d}"


class PaymentBatch(models.Model):
    """发放批次: made by one payment officer (制单), approved by another (审批), then paid by the
    banks through one file per bank; closed when every line is settled."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("待审批")
        APPROVED = "approved", _("已审批")
        CLOSED = "closed", _("已完成")

    bureau = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("发放单位"),
        on_delete=models.PROTECT,
        related_name="payment_batches",
    )
    graduation_year = models.ForeignKey(
        "subsidy.GraduationYear", verbose_name=_("毕业年度"), on_delete=models.PROTECT, related_name="+"
    )
    # What the maker chose the applications by (both optional).
    school = models.ForeignKey(
        "reference.School",
        verbose_name=_("学校"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    category_code = EncryptedTextField(_("毕业生类型"), blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("制单人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("制单时间"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    item_count = models.PositiveIntegerField(_("笔数"), default=0)
    # 100,000 lines of 1500 yuan is 1.5e10 fen: more than a 32-bit integer holds.
    total_fen = models.PositiveBigIntegerField(_("金额（分）"), default=0)

    class Meta:
        verbose_name = _("发放批次")
        verbose_name_plural = _("发放批次")
        ordering = ["-created_at", "-id"]
        constraints = [
            # 制单 and 审批 are never the same person (DESIGN.md section 4).
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("created_by")),
                name="payments_batch_checker_is_not_maker",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(approved_by__isnull=False) & Q(approved_at__isnull=False)),
                name="payments_batch_approved_has_checker",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "approved", "closed"]), name="payments_batch_status_known"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        """批次号: FF + the day it was made + its id (unique, stable)."""
        if self.pk is None:
            return ""
        return f"FF{timezone.localtime(self.created_at):%Y%m%d}{self.pk:06d}"

    @property
    def total_yuan(self) -> str:
        return yuan(self.total_fen)

    @property
    def pending_label(self) -> str:
        """What this batch's lines that wait read as (line_status_label)."""
        return line_status_label(PaymentItem.Status.PENDING, self.status)


class PaymentItem(models.Model):
    """One line of a batch: one application, paid (or not) to one card account. The values are
    copied from the application when the batch is made, so the bank file never changes."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待银行处理")
        PAID = "paid", _("已发放")
        FAILED = "failed", _("发放失败")

    # Only indexes a query uses (each is written for every line built, approved and settled):
    # the batch's is the first column of the unique pairs below, the bank's of the index below.
    batch = models.ForeignKey(
        PaymentBatch,
        verbose_name=_("发放批次"),
        on_delete=models.PROTECT,
        related_name="items",
        db_index=False,
    )
    application = models.ForeignKey(
        "subsidy.Application", verbose_name=_("申请"), on_delete=models.PROTECT, related_name="payment_items"
    )
    # The application's record number, copied: the bank files and the return lines carry it,
    # and an import finds its lines by (batch, record number) without a join.
    record_number = models.CharField(_("申报编号"), max_length=16)
    amount_fen = models.PositiveIntegerField(_("金额（分）"))
    bank = models.ForeignKey(
        "reference.Bank",
        verbose_name=_("开户银行"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    account = EncryptedTextField(_("银行账号"))
    # blind_index(account, purpose="bank_account"): a return line's account is checked against it.
    account_index = models.CharField(max_length=64)
    account_name = models.CharField(_("户名"), max_length=30)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    bank_reason = models.CharField(_("银行反馈"), max_length=200, blank=True)
    settled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    return_import = models.ForeignKey(
        "ReturnImport",
        verbose_name=_("回盘导入"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
    )

    class Meta:
        verbose_name = _("发放明细")
        verbose_name_plural = _("发放明细")
        ordering = ["batch", "id"]
        constraints = [
            # At most one successful payment per application, whatever the batch: two return
            # imports racing, or a line copied into a second batch by a bug, meet this.
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status="paid"),
                name="payments_one_paid_item_per_application",
            ),
            # And at most one waiting for a bank: an application is in one unsettled batch at a time.
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status="pending"),
                name="payments_one_pending_item_per_application",
            ),
            models.UniqueConstraint(
                fields=["batch", "application"], name="payments_application_once_per_batch"
            ),
            models.UniqueConstraint(fields=["batch", "record_number"], name="payments_record_once_per_batch"),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="payments_item_amount_positive"),
            models.CheckConstraint(
                condition=(Q(status="pending") & Q(settled_at__isnull=True))
                | (Q(status__in=["paid", "failed"]) & Q(settled_at__isnull=False)),
                name="payments_item_settled_when_not_pending",
            ),
        ]
        indexes = [models.Index(fields=["batch", "bank", "id"], name="payments_item_batch_bank")]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.record_number}"

    @property
    def masked_account(self) -> str:
        return mask_account(self.account)

    @property
    def masked_name(self) -> str:
        return mask_name(self.account_name)

    @property
    def amount_yuan(self) -> str:
        return yuan(self.amount_fen)

    @property
    def status_label(self) -> str:
        """The line's status as people read it (line_status_label); load it with its batch."""
        return line_status_label(self.status, self.batch.status)


# A line waits for the bank only once its batch is approved: the bank files can be exported from
# then on. Before, the line waits for what the batch waits for, and says so (待审批).
BATCH_STAGES_BEFORE_BANK = frozenset({PaymentBatch.Status.DRAFT})


def line_status_label(status: str, batch_status: str) -> str:
    """What a payment line's status reads as on every page and export: its own status, except
    that a line not yet settled in a batch the bank cannot have yet shows the batch's stage."""
    if status == PaymentItem.Status.PENDING and batch_status in BATCH_STAGES_BEFORE_BANK:
        return str(PaymentBatch.Status(batch_status).label)
    return str(PaymentItem.Status(status).label)


class BankFile(models.Model):
    """The file of one bank's lines of a batch, as first exported. It is not kept (it holds
    full account numbers): every export rebuilds it, and its SHA-256 must match this one."""

    batch = models.ForeignKey(
        PaymentBatch, verbose_name=_("发放批次"), on_delete=models.PROTECT, related_name="bank_files"
    )
    bank = models.ForeignKey(
        "reference.Bank", verbose_name=_("开户银行"), on_delete=models.PROTECT, related_name="+"
    )
    filename = models.CharField(_("文件名"), max_length=100)
    sha256 = models.CharField(_("文件SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(_("笔数"))
    total_fen = models.PositiveBigIntegerField(_("金额（分）"))
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导出人"), on_delete=models.PROTECT, related_name="+"
    )
    generated_at = models.DateTimeField(_("首次导出时间"), default=timezone.now)

    class Meta:
        verbose_name = _("银行发放文件")
        verbose_name_plural = _("银行发放文件")
        ordering = ["batch", "bank"]
        constraints = [models.UniqueConstraint(fields=["batch", "bank"], name="payments_one_file_per_bank")]

    def __str__(self) -> str:
        return self.filename


class ReturnImport(models.Model):
    """One bank return file (回盘) imported into a batch. `report` holds every line's outcome:
    {"columns": [...], "rows": [[line, sequence, record number, outcome, message], ...]};
    no account number appears in it."""

    batch = models.ForeignKey(
        PaymentBatch, verbose_name=_("发放批次"), on_delete=models.PROTECT, related_name="return_imports"
    )
    bank = models.ForeignKey(
        "reference.Bank", verbose_name=_("开户银行"), on_delete=models.PROTECT, related_name="+"
    )
    filename = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(_("文件SHA-256"), max_length=64)
    encoding = models.CharField(_("文件编码"), max_length=16)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(_("导入时间"), default=timezone.now)
    line_count = models.PositiveIntegerField(_("明细行数"), default=0)
    paid_count = models.PositiveIntegerField(_("发放成功"), default=0)
    failed_count = models.PositiveIntegerField(_("发放失败"), default=0)
    refused_count = models.PositiveIntegerField(_("未处理的行"), default=0)
    paid_fen = models.PositiveBigIntegerField(_("成功金额（分）"), default=0)
    failed_fen = models.PositiveBigIntegerField(_("失败金额（分）"), default=0)
    report = models.JSONField(_("逐行结果"), default=dict, blank=True)

    class Meta:
        verbose_name = _("银行回盘导入")
        verbose_name_plural = _("银行回盘导入")
        ordering = ["-imported_at", "-id"]
        constraints = [
            # The same file twice changes nothing: the second import finds the first.
            models.UniqueConstraint(fields=["batch", "sha256"], name="payments_return_file_once_per_batch"),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id} {self.filename}"

    @property
    def settled_count(self) -> int:
        """Lines this import settled (paid or failed): the applicants told of their payment."""
        return self.paid_count + self.failed_count


class PaymentJob(models.Model):
    """A long payment step run by the task worker instead of the web request: building,
    approving or importing the return file of a batch of tens of thousands of lines takes
    longer than a request should. The officer waits on the job's page; the step itself is the
    same service function a small batch calls directly."""

    class Kind(models.TextChoices):
        BUILD = "build", _("生成发放批次")
        APPROVE = "approve", _("审批发放批次")
        RETURN_IMPORT = "return_import", _("导入回盘文件")

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("处理中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("未完成")

    kind = models.CharField(_("任务"), max_length=16, choices=Kind.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    bureau = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("发放单位"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # The address the officer asked from, for the audit entries the step writes.
    ip_address = models.CharField(max_length=64, blank=True)
    # What the step needs: the build's filters, the return file's bank.
    params = models.JSONField(default=dict, blank=True)
    batch = models.ForeignKey(
        PaymentBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="jobs"
    )
    # The return file (it holds full account numbers): encrypted, and emptied once imported.
    upload = models.BinaryField(default=b"", blank=True, editable=False)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    return_import = models.ForeignKey(
        ReturnImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.TextField(_("结果"), blank=True)

    class Meta:
        verbose_name = _("发放后台任务")
        verbose_name_plural = _("发放后台任务")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
