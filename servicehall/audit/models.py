from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicehall.core.errors import DomainError

from .labels import label_of


class AuditEntryQuerySet(models.QuerySet):
    """Entries are appended, never changed, and removed only past the retention period, by
    `services.audit_purge_expired` (on PostgreSQL a trigger holds the same rule)."""

    def update(self, **kwargs):
        raise DomainError(_("审计记录不能修改。"), code="audit_immutable")

    def delete(self):
        raise DomainError(_("审计记录不能删除。"), code="audit_immutable")

    def _purge(self):
        return super().delete()


class AuditEntry(models.Model):
    """Who did (or saw) what, when, from where, for which organisation. `detail` never holds
    personal data in clear: services pass ids and masked values only."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    # The actor's organisation when they acted (staff move between organisations).
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("所属单位"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    action = models.CharField(_("操作"), max_length=64)
    target_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    target_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    ip_address = models.CharField(_("IP 地址"), max_length=64, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]
        # Only indexes a query uses, each written for every entry (a batch writes 100,000):
        # an action is found whole (never by its beginning), a target by its type and id.
        indexes = [
            models.Index(fields=["target_type", "target_id", "at"], name="audit_target_at"),
            models.Index(fields=["action"], name="audit_action"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {label_of(self.action)}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise DomainError(_("审计记录不能修改。"), code="audit_immutable")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise DomainError(_("审计记录不能删除。"), code="audit_immutable")
