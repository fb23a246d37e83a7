"""The whole dashboard as an Excel workbook, one sheet per panel, with the same numbers as the
page (both read one Dashboard). Every cell goes through core's safe_cell: money is a number in
yuan, days are dates, shares are percentages a clerk can compute with, and a school or a bureau
named "=cmd|..." stays text in Excel and WPS."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from servicehall.core.spreadsheets import Amount, Share, sheet_row
from servicehall.payments.bankfiles import XLSX_CONTENT_TYPE

from .figures import Dashboard
from .selectors import CheckShare

CONTENT_TYPE = XLSX_CONTENT_TYPE
MOMENT_WIDTH = 17  # "2026-12-04 19:59" without Excel's ####


def _sheet(workbook, title: str, heading: list[str], rows, *, context: list[list], widths=None):
    sheet = workbook.create_sheet(title=title)
    widths = list(widths or [30] + [14] * (len(heading) - 1))
    widths[1] = max(widths[1], MOMENT_WIDTH)  # the context's 导出时间 is a date in column B
    for i, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + i)].width = width
    for line in context:
        sheet.append(sheet_row(sheet, line))
    sheet.append([])
    sheet.append(sheet_row(sheet, heading))
    for row in rows:
        sheet.append(sheet_row(sheet, row))
    return sheet


def _check_rate(checks: CheckShare):
    """The pass rate as a figure, or the words the page uses when there is none (未导入名单)."""
    return Share(checks.passed, checks.checked) if checks.lists_imported else checks.percent


def dashboard_workbook(dashboard: Dashboard, *, year, scope_label: str, generated_at) -> bytes:
    workbook = Workbook(write_only=True)
    context = [
        [_("求职创业补贴数据统计")],
        [_("毕业年度：%(year)s；范围：%(scope)s") % {"year": year.pk, "scope": scope_label}],
        [_("导出时间"), generated_at],
    ]
    total = dashboard.total
    checks = dashboard.checks
    _sheet(
        workbook,
        _("概览"),
        [_("项目"), _("数值")],
        [
            (_("申请总数（不含草稿）"), total),
            (_("办理中"), dashboard.in_progress),
            (_("已办结"), dashboard.concluded),
            (_("审核超期待办"), dashboard.overdue),
            (_("已发放笔数"), dashboard.paid_count),
            (_("已发放金额（元）"), Amount(dashboard.paid_fen)),
            (_("系统比对通过率"), _check_rate(checks) if checks else _("暂无数据")),
        ],
        context=context,
    )
    for title, first, rows in (
        (_("按办理状态"), _("办理状态"), dashboard.by_state),
        (_("按城市"), _("城市"), dashboard.by_city),
        (_("按学校"), _("学校"), dashboard.by_school),
        (_("按毕业生类型"), _("毕业生类型"), dashboard.by_category),
    ):
        _sheet(
            workbook,
            title,
            [first, _("件数"), _("占比")],
            [(row.label, row.value, Share(row.value, total)) for row in rows],
            context=context,
        )
    _sheet(
        workbook,
        _("每日提交量"),
        [_("申报期"), _("日期"), _("提交件数")],
        [
            row
            for series in dashboard.per_day
            for row in [
                *((series.label, day, count) for day, count in series.days),
                *([(series.label, _("申报期外"), series.outside)] if series.outside else []),
            ]
        ],
        context=context,
        widths=[40, 14, 14],
    )
    _sheet(
        workbook,
        _("审核效率"),
        [
            _("审核环节"),
            _("时限（工作日）"),
            _("待办"),
            _("其中超期"),
            _("已办理"),
            _("通过"),
            _("退回修改"),
            _("不予受理或不通过"),
        ],
        [
            (s.label, s.limit_days, s.waiting, s.overdue, s.handled, s.approved, s.returned, s.stopped)
            for s in dashboard.steps
        ],
        context=context,
        widths=[20] + [14] * 7,
    )
    _sheet(
        workbook,
        _("发放批次"),
        [
            _("批次号"),
            _("发放单位"),
            _("状态"),
            _("笔数"),
            _("金额（元）"),
            _("已发放笔数"),
            _("已发放金额（元）"),
            _("发放失败笔数"),
            _("发放失败金额（元）"),
            _("待银行处理笔数"),
            _("待银行处理金额（元）"),
        ],
        [
            (
                b.number,
                b.bureau,
                b.status,
                b.items,
                Amount(b.total_fen),
                b.paid_count,
                Amount(b.paid_fen),
                b.failed_count,
                Amount(b.failed_fen),
                b.pending_count,
                Amount(b.pending_fen),
            )
            for b in dashboard.batches
        ],
        context=context,
        widths=[20, 30] + [14] * 9,
    )
    _sheet(
        workbook,
        _("系统比对"),
        [_("已比对件数"), _("全部比对通过"), _("通过率")],
        [(checks.checked, checks.passed, _check_rate(checks))] if checks else [(_("暂无数据"),)],
        context=context,
        widths=[20, 20, 14],
    )
    rated = dashboard.ratings
    satisfied = Share(rated.satisfied, rated.total) if rated else _("暂无数据")
    _sheet(
        workbook,
        _("服务评价"),
        [_("评价"), _("件数")],
        [*(rated.by_grade if rated else []), (_("满意率"), satisfied)],
        context=context,
        widths=[20, 14],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
