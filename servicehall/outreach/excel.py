"""The not-reached list as an Excel file, masked like the page (names, ID numbers, mobiles)."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from servicehall.core.spreadsheets import sheet_row

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def not_reached_workbook(rows, *, year: int, scope_label: str, generated_at) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("未触达名单"))
    sheet.append(
        sheet_row(
            sheet,
            [
                _("政策找人未触达名单"),
                f"{year}",
                scope_label,
                f"{timezone.localtime(generated_at):%Y-%m-%d %H:%M}",
            ],
        )
    )
    sheet.append(
        sheet_row(
            sheet,
            [
                _("学校"),
                _("学号"),
                _("姓名"),
                _("证件号码"),
                _("手机号码"),
                _("院系"),
                _("专业"),
                _("毕业生类型"),
                _("邀请时间"),
            ],
        )
    )
    for row in rows:
        invited = f"{timezone.localtime(row.invited_at):%Y-%m-%d %H:%M}" if row.invited_at else _("未发送")
        sheet.append(
            sheet_row(
                sheet,
                [
                    row.school,
                    row.student_number,
                    row.name,
                    row.id_number,
                    row.mobile,
                    row.department,
                    row.major,
                    row.category,
                    invited,
                ],
            )
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
