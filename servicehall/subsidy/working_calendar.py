"""The working calendar the subsidy's time limits count on: which years the hall will count in
soon but cannot count properly (the installed `chinese_calendar` does not hold their holidays
yet, and no operator imported them), and the operator's import of a year's holidays and make-up
working days from a file (the State Council's notice, typed into a table).

Publicity periods and review time limits count working days (reference.workdays). For a year
nobody told the hall about, it counts Monday to Friday: a 公示 over the Spring Festival would
close days early. So every page where an operator sets dates (the year set-up, the workbench)
says which years are missing until they are imported."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.accounts.permissions import ensure_may
from servicehall.audit.services import audit_record
from servicehall.core.actions import Action
from servicehall.core.errors import DomainError
from servicehall.core.tables import cell_text, file_rows, is_blank
from servicehall.reference.models import CalendarYear, WorkdayOverride
from servicehall.reference.workdays import COUNTING_REACH, years_unknown

from .models import ApplicationWindow

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from servicehall.accounts.models import User

MAX_FILE_BYTES = 256 * 1024
MAX_ROWS = 400  # a year has 366 days at most, plus a header and a few blank lines
MAX_REPORTED = 20
# What the 安排 column may say, as people write it, and what it means (True: a working day).
ARRANGEMENTS = {"放假": False, "休息": False, "休": False, "上班": True, "调休上班": True, "班": True}
# The file's own words, the same in every language of the page: the header and the two answers.
HEADERS = {"date": "日期", "arrangement": "安排", "note": "说明"}
REST_WORD, WORK_WORD = "放假", "上班"


# --- Which years are missing ------------------------------------------------------------------


def calendar_gaps(today: datetime.date | None = None) -> list[int]:
    """The years the hall will count working days in and does not know the holidays of: from
    today as far as a time limit begun today may reach, and over every window that has not
    ended, as far as the reviews of its last applications may reach. Two queries at most."""
    today = today or timezone.localdate()
    spans = [(today, today + COUNTING_REACH)]
    windows = ApplicationWindow.objects.filter(closes_on__gte=today).values_list("opens_on", "closes_on")
    spans += [(opens, closes + COUNTING_REACH) for opens, closes in windows]
    return years_unknown(year for first, last in spans for year in range(first.year, last.year + 1))


def calendar_years_imported():
    """The years operators imported, newest first, with who imported them."""
    return CalendarYear.objects.select_related("imported_by").order_by("-year")


def gaps_warning(gaps: list[int]) -> str:
    """What an operator is told while `gaps` (calendar_gaps) is not empty."""
    return _(
        "节假日数据缺少%(years)s年：系统暂按周一至周五计算这些年度的工作日，公示期和审核时限可能与实际"
        "放假安排不符。请在【节假日安排】导入该年度的放假和调休上班日期。"
    ) % {"years": "、".join(str(year) for year in gaps)}


# --- The import ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarDay:
    day: datetime.date
    is_workday: bool
    note: str


def _date_of(cell) -> datetime.date | None:
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    text = cell_text(cell).replace("/", "-").replace(".", "-")
    try:
        return datetime.date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
    except ValueError:
        return None


def _columns(header) -> dict[str, int]:
    names = [cell_text(cell) for cell in header]
    found = {key: names.index(label) for key, label in HEADERS.items() if label in names}
    if "date" not in found or "arrangement" not in found:
        raise DomainError(
            _("第一行应为表头：%(date)s、%(arrangement)s（%(note)s可选）。请按页面上的格式整理文件后再导入。")
            % HEADERS,
            code="import_file", fields=("file",),
        )
    return found


def _read_days(rows, year: int) -> list[CalendarDay]:
    """Every line checked; any bad line refuses the whole file, each named with its line, as a
    calendar with a day missing would count wrong without saying so."""
    rows = iter(rows)
    header = next((cells for _line, cells in rows if not is_blank(cells)), None)
    if header is None:
        raise DomainError(_("文件中没有数据。"), code="import_file", fields=("file",))
    columns = _columns(header)
    days, problems, seen = [], [], set()
    for line, cells in rows:
        if is_blank(cells):
            continue
        if line > MAX_ROWS:
            raise DomainError(
                _("文件行数过多：一个年度最多366天。"), code="import_file", fields=("file",)
            )

        def cell(key, cells=cells):
            index = columns.get(key)
            return cells[index] if index is not None and index < len(cells) else ""

        day, said = _date_of(cell("date")), cell_text(cell("arrangement"))
        if day is None:
            problems.append(_("第%(line)d行：日期应写成%(year)d-01-01的形式") % {"line": line, "year": year})
        elif day.year != year:
            said_year = {"line": line, "day": day, "year": year}
            problems.append(_("第%(line)d行：%(day)s不在%(year)d年") % said_year)
        elif day in seen:
            problems.append(_("第%(line)d行：%(day)s重复出现") % {"line": line, "day": day})
        elif said not in ARRANGEMENTS:
            problems.append(
                _("第%(line)d行：%(arrangement)s应填“%(rest)s”或“%(work)s”")
                % {"line": line, "arrangement": HEADERS["arrangement"], "rest": REST_WORD, "work": WORK_WORD}
            )
        elif ARRANGEMENTS[said] and day.weekday() < 5:
            problems.append(
                _("第%(line)d行：%(day)s是周一至周五，本来就上班；调休上班日应为周六或周日")
                % {"line": line, "day": day}
            )
        else:
            seen.add(day)
            days.append(CalendarDay(day, ARRANGEMENTS[said], cell_text(cell("note"))[:100]))
    if problems:
        shown = "；".join(problems[:MAX_REPORTED])
        more = _("等%(count)d处") % {"count": len(problems)} if len(problems) > MAX_REPORTED else ""
        raise DomainError(
            _("文件未导入，请改正后重新导入：%(problems)s%(more)s。") % {"problems": shown, "more": more},
            code="import_lines", fields=("file",),
        )
    if not any(not d.is_workday for d in days):
        raise DomainError(
            _("文件中没有放假日期：请按国务院办公厅的通知填写该年度的全部放假和调休上班日期。"),
            code="import_file", fields=("file",),
        )
    return days


def calendar_year_import(
    *, actor: User, year: int, uploaded_file: UploadedFile, client_address: str = ""
) -> CalendarYear:
    """The operator's import of one year's 放假 and 调休上班 days (CSV or .xlsx with the columns
    日期, 安排, 说明). The file's days replace every workday override of that year, and the year
    counts as known from then on. A file with any bad line is refused as a whole."""
    ensure_may(actor, Action.OPERATE, _("只有运营人员可以导入节假日安排。"))
    if not 2000 <= year <= 2100:
        raise DomainError(_("请选择年度。"), code="year_invalid", fields=("year",))
    data = uploaded_file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise DomainError(_("文件过大：节假日安排文件不超过256KB。"), code="import_file", fields=("file",))
    filename = (uploaded_file.name or "").rsplit("/", 1)[-1][:200]
    days = _read_days(file_rows(data, filename=filename, max_unpacked=8 * MAX_FILE_BYTES), year)
    rest = sum(not d.is_workday for d in days)
    with transaction.atomic():
        WorkdayOverride.objects.filter(day__year=year).delete()
        WorkdayOverride.objects.bulk_create(
            WorkdayOverride(day=d.day, is_workday=d.is_workday, note=d.note) for d in days
        )
        imported, _created = CalendarYear.objects.update_or_create(
            year=year,
            defaults={
                "rest_days": rest, "working_weekend_days": len(days) - rest, "filename": filename,
                "sha256": hashlib.sha256(data).hexdigest(), "imported_by": actor,
                "imported_at": timezone.now(),
            },
        )
        audit_record(
            actor=actor, action="config.calendar_import", target=imported, client_address=client_address,
            detail={"year": year, "rest_days": rest, "working_weekend_days": len(days) - rest},
        )
    return imported
