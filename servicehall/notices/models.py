"""公示公告: public notices. The subsidy's 公示 lists are published here by the review workflow."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicehall.core.moments import end_text


class NoticeKind(models.TextChoices):
    ANNOUNCEMENT = "announcement", _("通知公告")
    PUBLICITY = "publicity", _("公示")


class Notice(models.Model):
    title = models.CharField(_("标题"), max_length=120)
    kind = models.CharField(_("类型"), max_length=16, choices=NoticeKind.choices,
                            default=NoticeKind.ANNOUNCEMENT)
    publisher = models.CharField(_("发布单位"), max_length=100)
    body = models.TextField(_("正文"), help_text=_("空一行分段"))
    published_at = models.DateTimeField(_("发布时间"), default=timezone.now, db_index=True)
    closes_at = models.DateTimeField(_("公示截止时间"), null=True, blank=True)
    is_published = models.BooleanField(_("已发布"), default=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)
    # A list published with the notice (a 公示 names who was approved): headings and rows of text.
    table_columns = models.JSONField(default=list, blank=True, editable=False)
    table_rows = models.JSONField(default=list, blank=True, editable=False)
    # Where a reader can act on it (提出异议 for a 公示), a path inside the hall.
    action_url = models.CharField(max_length=200, blank=True, editable=False)
    action_label = models.CharField(max_length=40, blank=True, editable=False)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("公示公告")
        verbose_name_plural = _("公示公告")

    def __str__(self):
        return self.title

    @property
    def closes_display(self):
        """A period ending at 00:00 reads as "until the day before, 24:00" (core.moments)."""
        return end_text(self.closes_at) if self.closes_at else ""

    @property
    def table(self):
        """Each row as (heading, cell) pairs: a phone shows the table as labelled cards."""
        return [list(zip(self.table_columns, row, strict=False)) for row in self.table_rows]

    @property
    def paragraphs(self):
        return [p.strip() for p in self.body.replace("\r\n", "\n").split("\n\n") if p.strip()]
