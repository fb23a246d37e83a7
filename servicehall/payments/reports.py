"""Totals of the payments (integer fen, one aggregate query each) and the signable batch
report. Reads only; callers fetch the batch through selectors.batch_get_for first."""

import io

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from servicehall.core.spreadsheets import Amount, sheet_row

from .figures import figure_sums
from .models import PaymentBatch, PaymentItem


def totals_by_batch(batch) -> dict:
    return PaymentItem.objects.filter(batch=batch).aggregate(**figure_sums())


def totals_by_bureau(year) -> list[dict]:
    """Per bureau for one graduation year (a GraduationYear or its number)."""
    year = getattr(year, "pk", year)
    return list(
        PaymentItem.objects.filter(batch__graduation_year_id=year)
        .values("batch__bureau_id", "batch__bureau__name")
        .annotate(batches=Count("batch_id", distinct=True), **figure_sums())
        .order_by("batch__bureau__name")
    )


def totals_by_year() -> list[dict]:
    return list(
        PaymentItem.objects.values("batch__graduation_year_id")
        .annotate(batches=Count("batch_id", distinct=True), **figure_sums())
        .order_by("-batch__graduation_year_id")
    )


def _money_columns(row) -> list:
    return [
        row["items"],
        Amount(row["total_fen"]),
        row["paid_count"],
        Amount(row["paid_fen"]),
        row["failed_count"],
        Amount(row["failed_fen"]),
        row["pending_count"],
        Amount(row["pending_fen"]),
    ]


def batch_report_xlsx(batch: PaymentBatch) -> bytes:
    """发放批次报表 to print and sign: who made and approved the batch, its counts and totals
    (all, paid, failed, pending) per bank and per school, and the signature lines. Amounts are
    numbers in yuan and times Excel dates (core.spreadsheets); every text cell is safe from
    formula injection (a school or a person named "=cmd|..." stays text)."""
    batch = PaymentBatch.objects.select_related("bureau", "created_by", "approved_by").get(pk=batch.pk)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("发放批次报表"))
    # B and D also hold the times (制单时间, 完成时间, ...): wide enough not to show ####.
    for letter, width in zip("ABCDEFGHI", (26, 17, 16, 17, 16, 10, 16, 10, 16), strict=True):
        sheet.column_dimensions[letter].width = width

    def row(*values):
        sheet.append(sheet_row(sheet, values))

    money_header = [
        _("笔数"),
        _("金额（元）"),
        _("已发放笔数"),
        _("已发放金额（元）"),
        _("失败笔数"),
        _("失败金额（元）"),
        _("待处理笔数"),
        _("待处理金额（元）"),
    ]
    row(_("求职创业补贴发放批次报表"))
    row(_("发放单位"), batch.bureau.name)
    row(_("批次号"), batch.number)
    row(_("毕业年度"), str(batch.graduation_year_id))
    row(_("批次状态"), batch.get_status_display())
    row(_("制单人"), batch.created_by.name, _("制单时间"), batch.created_at)
    row(
        _("审批人"),
        batch.approved_by.name if batch.approved_by else "",
        _("审批时间"),
        batch.approved_at,
    )
    row(_("完成时间"), batch.closed_at)
    row()
    totals = totals_by_batch(batch)
    row(_("汇总"), *money_header)
    row(_("合计"), *_money_columns(totals))
    row()
    row(_("开户银行"), *money_header)
    by_bank = (
        PaymentItem.objects.filter(batch=batch)
        .values("bank_id", "bank__name")
        .annotate(**figure_sums())
        .order_by("bank__order", "bank_id")
    )
    for bank in by_bank:
        row(f"{bank['bank__name']}（{bank['bank_id']}）", *_money_columns(bank))
    row(_("合计"), *_money_columns(totals))
    row()
    row(_("学校"), *money_header)
    by_school = (
        PaymentItem.objects.filter(batch=batch)
        .values("application__school_id", "application__school__name")
        .annotate(**figure_sums())
        .order_by("application__school__name")
    )
    for school in by_school:
        row(school["application__school__name"] or _("（未填写学校）"), *_money_columns(school))
    row(_("合计"), *_money_columns(totals))
    row()
    row(_("制单人（签字）："), "", "", _("审核人（签字）："))
    row()
    row(_("单位负责人（签字）："), "", "", _("单位（盖章）："))
    row()
    row(_("日期：　　　　年　　月　　日"))
    row(_("打印时间"), timezone.now())
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
