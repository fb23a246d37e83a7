"""好差评: an applicant's rating of a concluded case, five grades as the national 政务服务
好差评 system has them. A poor rating (不满意, 非常不满意) goes to the organisation that concluded
the case, which must answer within EVALUATION_REPLY_WORKDAYS working days."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Rating(models.IntegerChoices):
    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    BASICALLY_SATISFIED = 3, _("基本满意")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


POOR = (Rating.DISSATISFIED, Rating.VERY_DISSATISFIED)

# Reasons a person may tick (several), by whether the rating is good or poor.
GOOD_REASONS = {
    "guide_clear": _("办事指南清楚"),
    "few_materials": _("材料简便"),
    "fast": _("办理速度快"),
    "online_easy": _("网上办理方便"),
    "helpful": _("服务态度好"),
}
POOR_REASONS = {
    "guide_unclear": _("办事指南不清楚"),
    "too_many_materials": _("材料要求繁琐"),
    "slow": _("办理时间长"),
    "hard_to_use": _("系统操作不便"),
    "result_unexplained": _("审核结果说明不清"),
    "attitude": _("服务态度差"),
}
REASONS = {**GOOD_REASONS, **POOR_REASONS}


class Evaluation(models.Model):
    class Status(models.TextChoices):
        CLOSED = "closed", _("无需回复")
        AWAITING_REPLY = "awaiting_reply", _("待回复")
        REPLIED = "replied", _("已回复")

    application = models.OneToOneField(
        "subsidy.Application", on_delete=models.PROTECT, related_name="evaluation", verbose_name=_("申请")
    )
    rating = models.PositiveSmallIntegerField(_("评价"), choices=Rating.choices)
    reasons = models.JSONField(_("评价理由"), default=list, blank=True)
    comment = models.TextField(_("意见建议"), blank=True)
    rated_at = models.DateTimeField(_("评价时间"), default=timezone.now, db_index=True)
    # The organisation that concluded the case answers for it.
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, db_index=True)
    reply_due = models.DateTimeField(_("回复期限"), null=True, blank=True)
    reply = models.TextField(_("回复"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回复人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    replied_at = models.DateTimeField(_("回复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("服务评价")
        verbose_name_plural = _("服务评价")
        ordering = ["-rated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="evaluation_rating_1_to_5"
            ),
            models.CheckConstraint(
                condition=~Q(status="replied") | (Q(replied_at__isnull=False) & ~Q(reply="")),
                name="evaluation_replied_has_reply",
            ),
            models.CheckConstraint(
                condition=Q(status="closed") | Q(rating__lte=2),
                name="evaluation_only_poor_ratings_await_reply",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.get_rating_display()}"

    @property
    def is_poor(self) -> bool:
        return self.rating in POOR

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASONS[code]) for code in self.reasons if code in REASONS]

    @property
    def overdue(self) -> bool:
        return (
            self.status == self.Status.AWAITING_REPLY
            and self.reply_due is not None
            and (timezone.now() >= self.reply_due)
        )
