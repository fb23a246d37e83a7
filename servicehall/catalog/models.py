"""The service catalog (服务清单): categories, groups, audiences, services with their guides
(办事指南), favourites (收藏) and visit counts (热门服务). Content is data, edited in the admin."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Serves(models.TextChoices):
    PERSON = "person", _("个人办事")
    ORGANISATION = "organisation", _("单位办事")


class Channel(models.TextChoices):
    ONLINE = "online", _("本大厅网上办理")
    OFFLINE = "offline", _("线下窗口办理")
    ELSEWHERE = "elsewhere", _("其他系统办理")


class Kind(models.TextChoices):
    HANDLING = "handling", _("办事")
    QUERY = "query", _("查询")


class Category(models.Model):
    code = models.SlugField(_("代码"), primary_key=True)
    name = models.CharField(_("名称"), max_length=20)
    short_name = models.CharField(_("简称"), max_length=8, help_text=_("手机上显示，如“就业”"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("服务类别")
        verbose_name_plural = _("服务类别")

    def __str__(self):
        return self.name


class Audience(models.Model):
    """我是…: who a service is for (高校毕业生, 用人单位…). The 主题服务 pages list by audience."""

    code = models.SlugField(_("代码"), primary_key=True)
    name = models.CharField(_("名称"), max_length=20)
    serves = models.CharField(_("面向"), max_length=16, choices=Serves.choices, default=Serves.PERSON)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("服务对象")
        verbose_name_plural = _("服务对象")

    def __str__(self):
        return self.name


class ServiceGroup(models.Model):
    """A folder of services in the catalog, such as 就业补贴; opened with its red triangle."""

    code = models.SlugField(_("代码"), primary_key=True)
    name = models.CharField(_("名称"), max_length=40)
    category = models.ForeignKey(Category, verbose_name=_("类别"), on_delete=models.PROTECT,
                                 related_name="groups")
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    home_order = models.PositiveSmallIntegerField(
        _("首页栏目顺序"), null=True, blank=True, help_text=_("填写后在首页下方单独成栏，留空则不显示"),
    )

    class Meta:
        ordering = ["category__order", "order", "code"]
        verbose_name = _("服务分组")
        verbose_name_plural = _("服务分组")

    def __str__(self):
        return self.name


class Service(models.Model):
    code = models.SlugField(_("代码"), primary_key=True)
    name = models.CharField(_("事项名称"), max_length=60)
    group = models.ForeignKey(ServiceGroup, verbose_name=_("分组"), on_delete=models.PROTECT,
                              related_name="services")
    serves = models.CharField(_("面向"), max_length=16, choices=Serves.choices, default=Serves.PERSON)
    kind = models.CharField(_("事项种类"), max_length=16, choices=Kind.choices, default=Kind.HANDLING)
    audiences = models.ManyToManyField(Audience, verbose_name=_("服务对象"), related_name="services",
                                       blank=True)
    summary = models.CharField(_("简介"), max_length=200)
    channel = models.CharField(_("办理渠道"), max_length=16, choices=Channel.choices)
    online_entry = models.CharField(
        _("网上办理入口"), max_length=80, blank=True,
        help_text=_("本大厅内的页面名称（如 subsidy:apply），仅“本大厅网上办理”的事项填写"),
    )
    channel_note = models.TextField(
        _("办理渠道说明"), blank=True,
        help_text=_("不在本大厅网上办理的事项，写明到哪里、怎样办理"),
    )
    synonyms = models.TextField(_("搜索同义词"), blank=True, help_text=_("每行一个，如“一次性求职补贴”"))
    # Derived from the name and synonyms by services.service_refresh_search_text (with pinyin).
    search_text = models.TextField(editable=False, blank=True)
    pinned = models.PositiveSmallIntegerField(
        _("热门服务置顶顺序"), null=True, blank=True, help_text=_("留空则按访问量排列"),
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_published = models.BooleanField(_("已发布"), default=True)

    # 办事指南
    implementing_body = models.CharField(_("实施主体"), max_length=200)
    conditions = models.TextField(_("受理条件"), help_text=_("每行一条"))
    flow = models.TextField(_("办理流程"), help_text=_("每行一个环节，按先后顺序"))
    time_limit = models.CharField(_("办理时限"), max_length=200)
    fee = models.CharField(_("收费标准"), max_length=100, default="不收费")
    legal_basis = models.TextField(_("设定依据"), help_text=_("每行一个文件，写明文号"))
    application_period = models.CharField(_("申报时间"), max_length=200)
    phone = models.CharField(_("咨询电话"), max_length=100, default="12333")

    class Meta:
        ordering = ["group__category__order", "group__order", "order", "code"]
        verbose_name = _("服务事项")
        verbose_name_plural = _("服务事项")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(channel="online") | ~models.Q(online_entry=""),
                name="catalog_online_service_has_entry",
            ),
            models.CheckConstraint(
                condition=models.Q(channel="online") | ~models.Q(channel_note=""),
                name="catalog_other_service_says_where",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def category(self):
        return self.group.category

    @property
    def is_online(self):
        return self.channel == Channel.ONLINE

    @property
    def needs_login(self):
        """办事 is done in one's own name, after login; a query answered online (办件进度查询)
        asks for what it needs on its own page."""
        return self.kind != Kind.QUERY

    @staticmethod
    def lines(text):
        return [line.strip() for line in text.splitlines() if line.strip()]

    @property
    def condition_list(self):
        return self.lines(self.conditions)

    @property
    def flow_steps(self):
        return self.lines(self.flow)

    @property
    def legal_basis_list(self):
        return self.lines(self.legal_basis)


class GuideMaterial(models.Model):
    """申请材料. `applies_to` names the case the document is for (a hardship category for the
    subsidy, such as 残疾); blank means every applicant."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="materials")
    applies_to = models.CharField(_("适用情形"), max_length=60, blank=True)
    name = models.CharField(_("材料名称"), max_length=120)
    note = models.CharField(_("要求"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")

    def __str__(self):
        return self.name


class GuideQuestion(models.Model):
    """常见问题."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="questions")
    question = models.CharField(_("问题"), max_length=200)
    answer = models.TextField(_("解答"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("常见问题")
        verbose_name_plural = _("常见问题")

    def __str__(self):
        return self.question


class Favourite(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favourites")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "service"], name="catalog_one_favourite")]

    def __str__(self):
        return f"{self.user_id} → {self.service_id}"


class ServiceVisit(models.Model):
    """Visits per service per day: 热门服务 is ranked by the last 30 days of these."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "day"], name="catalog_one_visit_row")]

    def __str__(self):
        return f"{self.service_id} {self.day}: {self.count}"
