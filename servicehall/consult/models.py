"""我要问 (咨询服务): a person's question about a service, the organisation that answers it, and
the answer. The question is the person's own words: kept encrypted, shown only to them and to
the staff of the answering organisation."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicehall.core.fields import EncryptedTextField


class Question(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("待答复")
        ANSWERED = "answered", _("已答复")

    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("咨询人"), on_delete=models.CASCADE, related_name="+"
    )
    service = models.ForeignKey(
        "catalog.Service", verbose_name=_("咨询事项"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("答复单位"), on_delete=models.PROTECT, related_name="+"
    )
    text = EncryptedTextField(_("咨询内容"))
    asked_at = models.DateTimeField(_("咨询时间"), default=timezone.now)
    due_at = models.DateTimeField(_("答复期限"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.WAITING)
    answer = EncryptedTextField(_("答复内容"), blank=True, default="")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("答复人"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("咨询")
        verbose_name_plural = _("咨询")
        ordering = ["-asked_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "status", "due_at"], name="consult_queue"),
            models.Index(fields=["asker", "-asked_at"], name="consult_mine"),
        ]

    def __str__(self) -> str:
        return f"{self.pk}"

    @property
    def overdue(self) -> bool:
        return self.status == self.Status.WAITING and timezone.now() >= self.due_at
