"""Registries imported from other departments (数据比对名单), one versioned batch per import, and
the result of each check of an application against them.

A registry row keeps the ID number only as its blind index (the same index as
accounts.User.id_number_index and subsidy.Application.id_number_index, which is how a claim
finds it), the name only as a blind index of its own purpose, and what a check needs: validity
dates, or the year a grant was paid. A check's result says which registry it found the person in,
which reveals the hardship category: its source, batch and sentence are encrypted."""


from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Registry(models.TextChoices):
    SUBSISTENCE_ALLOWANCE = "subsistence_allowance", _("城乡低保名单")
    EXTREME_POVERTY = "extreme_poverty", _("特困人员名单")
    DISABILITY = "disability", _("残疾人证名单")
    RELAPSE_MONITORING = "relapse_monitoring", _("防返贫监测对象名单")
    ZERO_EMPLOYMENT = "zero_employment", _("零就业家庭名单")
    STUDENT_LOAN = "student_loan", _("国家助学贷款名单")
    ORIGIN_LOAN = "origin_loan", _("生源地信用助学贷款名单")
    EMPLOYMENT = "employment", _("职工参保名单")
    PRIOR_GRANT = "prior_grant", _("求职创业补贴发放名单")


class RegistryBatch(models.Model):
    """One import of one registry. The newest finished batch of a registry (and, for grant
    lists, of one province) is the one checks read; older ones stay for the record."""

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("导入中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("导入失败")

    registry = models.CharField(_("名单"), max_length=32, choices=Registry.choices)
    # Grant lists only: whose grants (江苏省 for this province's earlier years). Part of what
    # "the same registry" means: a list from 浙江省 does not replace this province's own.
    province = models.CharField(_("发放省份"), max_length=20, blank=True)
    source = models.CharField(_("提供单位"), max_length=40)
    data_date = models.DateField(_("数据日期"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(_("导入时间"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    filename = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(_("文件SHA-256"), max_length=64)
    encoding = models.CharField(max_length=16, blank=True)  # CSV only: utf-8-sig or gb18030
    # The upload, SM4-GCM encrypted in chunks (reading.store_encrypted), until the import ends.
    upload_path = models.CharField(max_length=200, blank=True)
    upload_chunks = models.PositiveIntegerField(default=0)
    mapping = models.JSONField(_("列对应"), default=dict)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    # Set when the worker claims the batch and at each chunk: a running batch whose heartbeat
    # stopped had its worker die (services.registry_imports_recover).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    row_count = models.PositiveIntegerField(_("数据行数"), default=0)
    imported_count = models.PositiveIntegerField(_("已导入"), default=0)
    rejected_count = models.PositiveIntegerField(_("未导入"), default=0)
    rejected_rows = models.JSONField(_("未导入的行"), default=list, blank=True)
    message = models.CharField(_("说明"), max_length=300, blank=True)
    superseded_at = models.DateTimeField(_("被新版本取代时间"), null=True, blank=True)
    # A superseded version's rows are removed after REGISTRY_SUPERSEDED_RETENTION_DAYS; this
    # record stays, so the checks that cited it still say where their finding came from.
    rows_removed_at = models.DateTimeField(_("名单记录清除时间"), null=True, blank=True)

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("比对名单导入批次")
        verbose_name_plural = _("比对名单导入批次")
        indexes = [models.Index(fields=["registry", "province", "state"], name="verification_batch_current")]

    def __str__(self) -> str:
        return f"{self.get_registry_display()} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def is_current(self) -> bool:
        return self.state == self.State.DONE and self.superseded_at is None


class RegistryEntry(models.Model):
    """One person in one batch. Several rows per person are allowed (several insured jobs,
    grants in several years); a check reads them all."""

    batch = models.ForeignKey(RegistryBatch, on_delete=models.CASCADE, related_name="entries")
    id_number_index = models.CharField(max_length=64)
    name_index = models.CharField(max_length=64)
    # Validity of the status (低保证, 残疾人证…), or the insured employment's start and end.
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    grant_year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("比对名单记录")
        verbose_name_plural = _("比对名单记录")
        # A check looks people up by ID number within the current batches: one index serves
        # both (with the batch's own index alone, SQLite would scan a whole million-row batch).
        indexes = [models.Index(fields=["id_number_index", "batch"], name="verification_entry_person")]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.pk}"


class Rule(models.TextChoices):
    CATEGORY = "category", _("毕业生类型核验")
    NOT_EMPLOYED = "not_employed", _("未就业核验")
    NOT_GRANTED = "not_granted", _("未领取过补贴核验")


class Outcome(models.TextChoices):
    PASSED = "passed", _("通过")
    FAILED = "failed", _("未通过")
    NOT_FOUND = "not_found", _("未查到")
