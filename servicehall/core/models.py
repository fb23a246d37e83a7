"""The tables of the hall's foundation: the periodic work the scheduler has claimed
(core/scheduler.py), and the effects tasks have had once (core/once.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledRun(models.Model):
    """One job for one period, claimed by one scheduler. The unique pair (job, period_start) is the
    lock: two schedulers on two nodes both try to insert it and only one succeeds."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("运行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    job = models.CharField(_("任务"), max_length=64)
    period_start = models.DateTimeField(_("周期开始"))
    node = models.CharField(_("执行节点"), max_length=64, blank=True)
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices, default=Outcome.RUNNING)
    message = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("定时任务记录")
        verbose_name_plural = _("定时任务记录")
        ordering = ["-period_start", "job"]
        constraints = [
            models.UniqueConstraint(fields=["job", "period_start"], name="scheduled_run_once_per_period")
        ]
        indexes = [models.Index(fields=["started_at"], name="scheduled_run_started_idx")]

    def __str__(self) -> str:
        return f"{self.job} {self.period_start:%Y-%m-%d %H:%M}"


class DoneOnce(models.Model):
    """An effect a task has had, under a key naming the event it told of (a task run's id and the
    application, a payment line and its outcome). A task run again (a retry, or a worker killed
    after sending and before finishing) inserts the same key in the same transaction as its effect
    and skips what is already there: one notice per event, however often the task runs."""

    key = models.CharField(_("标识"), max_length=200, unique=True)
    done_at = models.DateTimeField(_("完成时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("已完成的后台操作")
        verbose_name_plural = _("已完成的后台操作")

    def __str__(self) -> str:
        return self.key
