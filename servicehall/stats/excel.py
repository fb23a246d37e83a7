"""The whole dashboard as an Excel workbook, one sheet per panel, with the same numbers as the
page (both read one Dashboard). Every text cell goes through core's safe_cell: a school or a
bureau named "=cmd|..." stays text in Excel and WPS."""

import io
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from servicehall.core.spreadsheets import safe_cell
from servicehall.payments.bankfiles import XLSX_CONTENT_TYPE

from .figures import Dashboard

CONTENT_TYPE = XLSX_CONTENT_TYPE


def _yuan(sheet, fen: int):
    """Money as a number (so Excel can add it up), exact: Decimal, never a float."""
    cell = WriteOnlyCell(sheet, value=Decimal(int(fen)) / 100)
    cell.number_format = "#,##0.00"
    return cell


def _sheet(workbook, title: str, heading: list[str], rows, *, context: list[str], widths=None):
    sheet = workbook.create_sheet(title=title)
    for i, width in enumerate(widths or [30] + [14] * (len(heading) - 1)):
        sheet.column_dimensions[chr(ord("A") + i)].width = width
    for line in context:
        sheet.append([safe_cell(sheet, line)])
    sheet.append([])
    sheet.append([safe_cell(sheet, text) for text in heading])
    for row in rows:
        sheet.append([value(sheet) if callable(value) else safe_cell(sheet, value) for value in row])
    return sheet


def _share(value: int, total: int) -> str:
    return f"{value * 100 / total:.1f}%" if total else "—"


def dashboard_workbook(dashboard: Dashboard, *, year, scope_label: str, generated_at) -> bytes:
    workbook = Workbook(write_only=True)
    context = [
        _("求职创业补贴数据统计"),
        _("毕业年度：%(year)s；范围：%(scope)s") % {"year": year.pk, "scope": scope_label},
        _("导出时间：%(at)s") % {"at": f"{timezone.localtime(generated_at):%Y-%m-%d %H:%M}"},
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
            (_("已发放金额（元）"), lambda sheet: _yuan(sheet, dashboard.paid_fen)),
            (_("系统比对通过率"), checks.percent if checks else _("暂无数据")),
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
            [(row.label, row.value, _share(row.value, total)) for row in rows],
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
                *((series.label, f"{day:%Y-%m-%d}", count) for day, count in series.days),
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
                lambda sheet, b=b: _yuan(sheet, b.total_fen),
                b.paid_count,
                lambda sheet, b=b: _yuan(sheet, b.paid_fen),
                b.failed_count,
                lambda sheet, b=b: _yuan(sheet, b.failed_fen),
                b.pending_count,
                lambda sheet, b=b: _yuan(sheet, b.pending_fen),
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
        [(checks.checked, checks.passed, checks.percent)] if checks else [(_("暂无数据"),)],
        context=context,
        widths=[20, 20, 14],
    )
    rated = dashboard.ratings
    satisfied = rated.satisfied_percent if rated else _("暂无数据")
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
