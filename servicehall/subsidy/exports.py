"""The reviewers' Excel export of a filtered queue. openpyxl's write-only mode keeps memory flat
however many rows there are (at most EXPORT_MAX_ROWS); the caller audits every export. Cells
are written by core.spreadsheets: times and due dates are Excel dates, personal numbers text."""

import io
from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook

from servicehall.accounts.models import Gender
from servicehall.core.masking import mask_id_number, mask_mobile
from servicehall.core.spreadsheets import sheet_row

from .constants import ApplicationStatus
from .models import Application

EXPORT_MAX_ROWS = 20_000
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _columns():
    # (header, width in characters)
    return [
        (_("序号"), 7),
        (_("申报编号"), 18),
        (_("姓名"), 10),
        (_("性别"), 6),
        (_("公民身份号码"), 21),
        (_("毕业学校"), 20),
        (_("学号"), 14),
        (_("所在院系"), 18),
        (_("专业"), 18),
        (_("学历"), 10),
        (_("毕业生类型"), 18),
        (_("移动电话"), 13),
        (_("提交时间"), 18),
        (_("状态"), 12),
        (_("办理时限"), 12),
        (_("核准标志"), 10),
    ]


def applications_workbook(
    applications: Iterable[Application],
    *,
    full_id: bool,
    category_name: Callable[[Application], str],
    due_date: Callable[[Application], object],
    title: str,
) -> tuple[bytes, int]:
    """The workbook's bytes and how many applications it lists. ID numbers are masked unless
    `full_id`; mobiles always are."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    columns = _columns()
    for index, (_header, width) in enumerate(columns):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "C2"
    sheet.append(sheet_row(sheet, [header for header, _width in columns]))
    # Labels once, not get_FOO_display() per row: each call casts every lazy choice label.
    states = {value: str(label) for value, label in ApplicationStatus.choices}
    genders = {value: str(label) for value, label in Gender.choices}
    count = 0
    for count, application in enumerate(applications, start=1):
        due = due_date(application)
        row = [
            count,
            application.record_number or "",
            application.name,
            genders.get(application.gender, ""),
            application.id_number if full_id else mask_id_number(application.id_number),
            application.school.name if application.school else "",
            application.student_number,
            application.department,
            application.major,
            application.education_level.name if application.education_level else "",
            category_name(application),
            mask_mobile(application.mobile),
            application.submitted_at,
            states.get(application.state, application.state),
            due,
            application.approved_flag,
        ]
        sheet.append(sheet_row(sheet, row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count
