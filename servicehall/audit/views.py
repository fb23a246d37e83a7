"""审计查询: the auditor's page (and the operator's) over the whole trail, filtered by person,
case, action and date, and its export. Read only: the hall has no way to change an entry.
Roles are compared by their stored value so that this low app imports no higher one."""

import io
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook

from servicehall.core.actions import Action
from servicehall.core.decorators import action_required
from servicehall.core.http import client_ip
from servicehall.core.spreadsheets import Timestamp, sheet_row

from . import selectors
from .describe import entry_texts
from .forms import AuditFilterForm
from .labels import label_of
from .services import audit_record, retention_days

PER_PAGE = 50
EXPORT_LIMIT = 100_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def auditor_required(view):
    @wraps(view)
    @action_required(Action.VIEW_AUDIT)
    def wrapper(request, *args, **kwargs):
        if request.user.organisation_id is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _filtered(request):
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, selectors.entry_search(**form.cleaned_data)
    if form.is_bound:
        return form, []
    return form, selectors.entry_search()


def _rows(entries):
    entries = list(entries)
    numbers = selectors.record_numbers(entries)
    cases = {int(entry.target_id): numbers[entry.pk] for entry in entries if entry.pk in numbers}
    texts = entry_texts(entries, record_numbers=cases)
    for entry in entries:
        actor = entry.actor
        yield {
            "entry": entry,
            # People (applicants) are shown masked, staff by name and account.
            "who": (actor.masked_name if actor.is_person else actor.name) if actor else _("系统"),
            "account": actor.username if actor and not actor.is_person else "",
            "label": label_of(entry.action),
            "case": numbers.get(entry.pk),
            "target": texts[entry.pk].target,
            "detail": texts[entry.pk].detail,
            "detail_text": texts[entry.pk].detail_text,
        }


@auditor_required
def entry_list(request):
    form, entries = _filtered(request)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/entry_list.html",
        {
            "form": form,
            "page": page,
            "rows": list(_rows(page.object_list)),
            "query": query.urlencode(),
            "retention_days": retention_days(),
            "export_limit": f"{EXPORT_LIMIT:,}",
        },
    )


@auditor_required
def entry_export(request):
    form, entries = _filtered(request)
    if form.is_bound and not form.is_valid():
        return entry_list(request)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("审计记录"))
    sheet.column_dimensions["A"].width = 20  # the time, to the second, without Excel's ####
    header = [_("时间"), _("操作人"), _("账号"), _("所属单位"), _("操作"), _("操作代码"), _("对象")]
    header += [_("对象编号"), _("申报编号"), _("IP地址"), _("详情")]
    sheet.append(sheet_row(sheet, header))
    count = 0
    for start in range(0, EXPORT_LIMIT, 2000):
        chunk = list(entries[start : start + 2000])
        for row in _rows(chunk):
            entry = row["entry"]
            values = [
                Timestamp(entry.at),
                row["who"],
                row["account"],
                entry.organisation.name if entry.organisation else "",
                row["label"],
                entry.action,
                row["target"],
                entry.target_id,
                row["case"] or "",
                entry.ip_address,
                row["detail_text"],
            ]
            sheet.append(sheet_row(sheet, values))
        count += len(chunk)
        if len(chunk) < 2000:
            break
    filters = {k: str(v) for k, v in (form.cleaned_data.items() if form.is_bound else []) if v}
    audit_record(
        actor=request.user,
        action="audit.export",
        client_address=client_ip(request),
        detail={"rows": count, **filters},
    )
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    stamp = f"{timezone.localtime():%Y%m%d%H%M}"
    response["Content-Disposition"] = content_disposition_header(True, f"audit_{stamp}.xlsx")
    response["Cache-Control"] = "private, no-store"
    return response
