"""Reference data: regions (GB/T 2260), ethnic groups (GB 3304), education levels
(GB/T 4658-2006), banks and schools. Loaded by migration 0002 and `manage.py load_reference`."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

SCHOOL_CODE_PATTERN = r"^[0-9]{10}\Z"
school_code_validator = RegexValidator(SCHOOL_CODE_PATTERN, _("学校标识码应为 10 位数字"))


class Region(models.Model):
    """A current administrative division. Only current codes are stored; the full history
    (for ID-number birthplaces) lives in `birthplace`."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        PREFECTURE = "prefecture", _("地级")
        COUNTY = "county", _("县级")

    code = models.CharField(_("区划代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=50)
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级区划"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    full_name = models.CharField(_("全称"), max_length=100)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level="province", parent__isnull=True)
                | (~Q(level="province") & Q(parent__isnull=False)),
                name="reference_region_parent_matches_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.full_name}"


class EthnicGroup(models.Model):
    code = models.CharField(_("民族代码"), max_length=2, primary_key=True)
    name = models.CharField(_("民族名称"), max_length=20, unique=True)
    romanization = models.CharField(_("罗马字母拼写"), max_length=20)

    class Meta:
        verbose_name = _("民族")
        verbose_name_plural = _("民族")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class EducationLevel(models.Model):
    code = models.CharField(_("学历代码"), max_length=2, primary_key=True)
    name = models.CharField(_("学历名称"), max_length=20, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    # Group headings (研究生, 中等职业教育) are shown but not chosen.
    is_selectable = models.BooleanField(_("可选"), default=True)

    class Meta:
        verbose_name = _("学历层次")
        verbose_name_plural = _("学历层次")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Bank(models.Model):
    code = models.CharField(_("银行代码"), max_length=12, primary_key=True)
    name = models.CharField(_("银行名称"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("社会保障卡合作银行")
        verbose_name_plural = _("社会保障卡合作银行")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    class Level(models.TextChoices):
        UNDERGRADUATE = "undergraduate", _("本科")
        JUNIOR_COLLEGE = "junior_college", _("专科")
        SECONDARY_VOCATIONAL = "secondary_vocational", _("中职")
        TECHNICAL = "technical", _("技工")

    class Ownership(models.TextChoices):
        PUBLIC = "public", _("公办")
        PRIVATE = "private", _("民办")
        SINO_FOREIGN = "sino_foreign", _("中外合作办学")

    # 学校标识码 (Ministry of Education); vocational and technical schools often have none.
    code = models.CharField(
        _("学校标识码"), max_length=10, blank=True, validators=[school_code_validator],
        help_text=_("10 位数字；中职、技工院校没有标识码时留空"),
    )
    name = models.CharField(_("学校名称"), max_length=100, unique=True)
    city = models.CharField(_("所在城市"), max_length=20)
    region = models.ForeignKey(
        Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="schools",
    )
    authority = models.CharField(_("主管部门"), max_length=50)
    level = models.CharField(_("办学层次"), max_length=32, choices=Level.choices)
    ownership = models.CharField(
        _("办学性质"), max_length=32, choices=Ownership.choices, default=Ownership.PUBLIC,
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("学校")
        verbose_name_plural = _("学校")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="reference_school_code_unique",
                violation_error_message=_("该学校标识码已被其他学校使用"),
            ),
            models.CheckConstraint(
                condition=Q(code="") | Q(code__regex=r"^[0-9]{10}$"),
                name="reference_school_code_format",
                violation_error_message=_("学校标识码应为 10 位数字"),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class WorkdayOverride(models.Model):
    """An operator's ruling on one date, winning over the `chinese_calendar` package: for years
    the package does not know yet (the State Council publishes each year's holidays in November)
    and for local arrangements. Read by `reference.workdays`."""

    day = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(
        _("工作日"), help_text=_("勾选：当天上班（如调休上班的周末）；不勾选：当天休息"),
    )
    note = models.CharField(_("说明"), max_length=100, blank=True, help_text=_("如：2027年春节调休"))

    class Meta:
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {'上班' if self.is_workday else '休息'}"


class CalendarYear(models.Model):
    """A year whose holidays and make-up working days an operator imported from a file (the
    State Council's notice, as the province publishes it), for a year `chinese_calendar` does
    not know yet. The file's days are the year's workday overrides; this row says the year is
    complete, so the hall stops warning that it counts Monday to Friday."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    rest_days = models.PositiveSmallIntegerField(_("放假日数"))
    working_weekend_days = models.PositiveSmallIntegerField(_("调休上班日数"))
    filename = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(_("文件SHA-256"), max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(_("导入时间"))

    class Meta:
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}"
