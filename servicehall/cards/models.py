"""Social security cards as the card system exports them, and the operators' imports of that
export. ID, card and account numbers are encrypted and found through blind-index columns."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicehall.core.fields import EncryptedTextField
from servicehall.core.masking import mask_account, mask_id_number, mask_name


def mask_card_number(card_number: str) -> str:
    """A12345678 -> A*****678: the first character and the last three."""
    if not card_number:
        return ""
    if len(card_number) <= 4:
        return "*" * (len(card_number) - 1) + card_number[-1:]
    return card_number[:1] + "*" * (len(card_number) - 4) + card_number[-3:]


class ImportBatchBase(models.Model):
    """What every import keeps: who, when, which file (by SHA-256), the counts, and for each
    problem the line, the column and the reason, and at most a masked form of the value."""

    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.PROTECT,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("导入时间"), default=timezone.now, db_index=True)
    filename = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(_("文件SHA-256"), max_length=64, db_index=True)
    row_count = models.PositiveIntegerField(_("数据行数"), default=0)
    created_count = models.PositiveIntegerField(_("新增"), default=0)
    updated_count = models.PositiveIntegerField(_("更新"), default=0)
    unchanged_count = models.PositiveIntegerField(_("无变化"), default=0)
    rejected_count = models.PositiveIntegerField(_("未导入"), default=0)
    rejected_rows = models.JSONField(_("未导入的行"), default=list, blank=True)

    class Meta:
        abstract = True
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.imported_at:%Y-%m-%d %H:%M} {self.filename}"

    @property
    def changed_count(self) -> int:
        return self.created_count + self.updated_count


class CardImportBatch(ImportBatchBase):
    """One upload of the card system's export."""

    class Meta(ImportBatchBase.Meta):
        verbose_name = _("社会保障卡数据导入")
        verbose_name_plural = _("社会保障卡数据导入")


class SocialSecurityCard(models.Model):
    class Generation(models.IntegerChoices):
        SECOND = 2, _("第二代")
        THIRD = 3, _("第三代")

    class Status(models.TextChoices):
        NORMAL = "normal", _("正常")
        REPORTED_LOST = "reported_lost", _("挂失")
        CANCELLED = "cancelled", _("注销")

    id_number = EncryptedTextField(_("证件号码"))
    # blind_index(id_number, purpose="id_number"): the same value as User.id_number_index.
    id_number_index = models.CharField(max_length=64, db_index=True)
    name = models.CharField(_("姓名"), max_length=30)
    card_number = EncryptedTextField(_("社会保障卡号"))
    card_number_index = models.CharField(max_length=64, unique=True)
    generation = models.PositiveSmallIntegerField(_("卡代际"), choices=Generation.choices)
    bank = models.ForeignKey(
        "reference.Bank", verbose_name=_("开户银行"), on_delete=models.PROTECT, related_name="+",
    )
    account = EncryptedTextField(_("银行账号"))
    financial_active = models.BooleanField(_("金融功能已开通"), default=False)
    status = models.CharField(_("卡状态"), max_length=16, choices=Status.choices,
                              default=Status.NORMAL)
    issued_on = models.DateField(_("发卡日期"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    import_batch = models.ForeignKey(
        CardImportBatch, verbose_name=_("最近写入的导入批次"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="cards",
    )

    class Meta:
        verbose_name = _("社会保障卡")
        verbose_name_plural = _("社会保障卡")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(generation__in=[2, 3]),
                                   name="cards_card_generation_2_or_3"),
            models.CheckConstraint(
                condition=models.Q(status__in=["normal", "reported_lost", "cancelled"]),
                name="cards_card_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.masked_name} {self.masked_card_number}"

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_card_number(self) -> str:
        return mask_card_number(self.card_number)

    @property
    def masked_account(self) -> str:
        return mask_account(self.account)

    @property
    def is_usable_for_payment(self) -> bool:
        return self.status == self.Status.NORMAL and self.financial_active


class OutletImportBatch(ImportBatchBase):
    """One upload of the table of 即时制卡网点 (IMPORT_FORMAT.md)."""

    class Meta(ImportBatchBase.Meta):
        verbose_name = _("即时制卡网点导入")
        verbose_name_plural = _("即时制卡网点导入")


class CardOutlet(models.Model):
    """A 社会保障卡即时制卡网点: where a person without a usable card gets one made while they
    wait. Imported by operators (one outlet per city and name) or loaded as demo data."""

    city = models.ForeignKey(
        "reference.Region", verbose_name=_("城市"), on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"parent_id": "320000", "level": "prefecture"},
    )
    district = models.ForeignKey(
        "reference.Region", verbose_name=_("区县"), on_delete=models.PROTECT, related_name="+",
        null=True, blank=True, limit_choices_to={"parent__parent_id": "320000", "level": "county"},
    )
    name = models.CharField(_("网点名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200)
    hours = models.CharField(_("营业时间"), max_length=200, blank=True)
    # One or more numbers separated by "、" (importing.PHONE_SEPARATOR).
    phone = models.CharField(_("联系电话"), max_length=100, blank=True)
    takes_photos = models.BooleanField(_("可现场拍照"), default=False)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    is_active = models.BooleanField(
        _("启用"), default=True,
        help_text=_("停用的网点不在网点查询中显示；再次导入不会重新启用"),
    )
    import_batch = models.ForeignKey(
        OutletImportBatch, verbose_name=_("最近写入的导入批次"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="outlets",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("即时制卡网点")
        verbose_name_plural = _("即时制卡网点")
        ordering = ["city_id", "district_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["city", "name"], name="cards_outlet_city_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def phone_numbers(self) -> list[tuple[str, str]]:
        """(as written, what a tel: link dials) for each number: "025-83279999转8001" dials
        02583279999 and then, after a pause, 8001."""
        numbers = []
        for number in filter(None, self.phone.split("、")):
            main, _sep, extension = number.partition("转")
            dial = "".join(char for char in main if char.isdigit())
            numbers.append((number, f"{dial},{extension}" if extension else dial))
        return numbers


class CardRecheckRequest(models.Model):
    """A person who has no usable card yet (not in the card list the hall last imported, or a
    card that cannot receive money) asks to be told when a newer list says otherwise. The next
    card import answers every open request by SMS and in 我的消息, whatever it finds."""

    class Answer(models.TextChoices):
        USABLE = "usable", _("已可用于发放")
        NOT_USABLE = "not_usable", _("暂不能用于发放")
        NOT_FOUND = "not_found", _("仍未查到")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.CASCADE, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请核对时间"), default=timezone.now)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answer = models.CharField(_("核对结果"), max_length=12, choices=Answer.choices, blank=True)
    answered_by_batch = models.ForeignKey(
        CardImportBatch, verbose_name=_("据以答复的导入批次"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )

    class Meta:
        verbose_name = _("社会保障卡信息核对申请")
        verbose_name_plural = _("社会保障卡信息核对申请")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(answered_at__isnull=True), name="cards_one_open_recheck"
            ),
        ]
        indexes = [models.Index(fields=["answered_at"], name="cards_recheck_open")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.requested_at:%Y-%m-%d}"
