"""The latest result of each cross-check rule for an application.

The rules and the registries they read belong to verification (below subsidy); the results are
about one application, so they live here, beside it. The table keeps the name it had when the
model was in verification (verification_checkresult): moving the model moved no data."""

import json

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicehall.core.fields import EncryptedTextField
from servicehall.verification.models import Outcome, Rule


class CheckResult(models.Model):
    """The latest result of one rule for one application (checks.py writes them)."""

    application = models.ForeignKey(
        "Application", on_delete=models.CASCADE, related_name="checks", verbose_name=_("申请")
    )
    rule = models.CharField(_("比对项目"), max_length=20, choices=Rule.choices)
    outcome = models.CharField(_("比对结果"), max_length=10, choices=Outcome.choices)
    # {"batch": 12, "batch_info": {…}, "said": {"text": "…", "values": {…}}} (checks._detail); results
    # stored before the sentence was kept untranslated hold "batch_label" and "sentence".
    detail_json = EncryptedTextField(default="")
    checked_on = models.DateField(_("核验日期"))  # the day the person had to qualify on
    checked_at = models.DateTimeField(_("比对时间"), default=timezone.now)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    overridden_at = models.DateTimeField(_("放行时间"), null=True, blank=True)
    override_reason = EncryptedTextField(_("放行理由"), blank=True, default="")

    class Meta:
        db_table = "verification_checkresult"
        ordering = ["application_id", "rule"]
        verbose_name = _("比对结果")
        verbose_name_plural = _("比对结果")
        constraints = [
            models.UniqueConstraint(fields=["application", "rule"], name="verification_one_result_per_rule"),
        ]
        indexes = [models.Index(fields=["rule", "outcome"], name="verification_result_outcome")]

    def __str__(self) -> str:
        return f"{self.application_id} {self.rule} {self.outcome}"

    @property
    def detail(self) -> dict:
        if not hasattr(self, "_detail"):
            self._detail = json.loads(self.detail_json) if self.detail_json else {}
        return self._detail

    @property
    def sentence(self) -> str:
        """What the check found, in the active language."""
        from servicehall.verification.rules import Sentence

        said = self.detail.get("said")
        return str(Sentence.from_json(said)) if said else self.detail.get("sentence", "")

    @property
    def batch_label(self) -> str:
        """The batch the finding cites, in the active language."""
        from servicehall.verification.rules import BatchInfo

        info = self.detail.get("batch_info")
        return BatchInfo.from_json(info).cited if info else self.detail.get("batch_label", "")

    @property
    def evidence_batch_id(self) -> int | None:
        return self.detail.get("batch")

    @property
    def is_overridden(self) -> bool:
        return self.overridden_at is not None

    @property
    def can_be_overridden(self) -> bool:
        """A failed employment or prior-grant check, not yet overridden (rules.BLOCKING_RULES)."""
        from servicehall.verification.rules import BLOCKING_RULES

        return self.outcome == Outcome.FAILED and self.rule in BLOCKING_RULES and not self.is_overridden
