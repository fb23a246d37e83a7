"""The payment officers' pages: the bureau's batches and building a new one, one batch with its
banks, files, return imports and lines, the totals; and the applicant's 重新发放 after a failed
payment. Every batch comes through selectors (another bureau's batch is 404); every write is a
service's (services.py); these views only call them and say what happened."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicehall.core.actions import Action
from servicehall.core.decorators import action_required, person_required
from servicehall.core.errors import DomainError
from servicehall.core.http import client_ip
from servicehall.core.money import money
from servicehall.subsidy import selectors as subsidy_selectors
from servicehall.subsidy.models import Application

from . import jobs, reports, selectors, services
from .figures import with_money
from .forms import BatchBuildForm, ReturnImportForm
from .models import PaymentBatch, PaymentJob

PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BANK_CSV = "text/csv; charset=gb18030"


def officer_required(view):
    """Payment officers of an active bureau; other staff 403, people to 个人中心 (staff_required)."""

    @wraps(view)
    @action_required(Action.PAY)
    def wrapper(request, *args, **kwargs):
        if selectors.officer_bureau(request.user) is None:  # an officer of no active bureau
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _batch_or_404(user, pk) -> PaymentBatch:
    try:
        return selectors.batch_get_for(user, pk)
    except PaymentBatch.DoesNotExist:
        raise Http404 from None


def _download(filename: str, data: bytes, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


def _error_to_form(form, error: DomainError) -> None:
    fields = [name for name in (error.fields or []) if name in form.fields]
    if fields:
        for name in fields:
            form.add_error(name, error.message)
    else:
        form.add_error(None, error.message)


# --- 发放批次 ----------------------------------------------------------------------------------


@officer_required
def batch_list(request):
    bureau = selectors.officer_bureau(request.user)
    if request.method == "POST":
        form = BatchBuildForm(request.POST, bureau=bureau)
        if form.is_valid():
            try:
                return _build(request, form.cleaned_data)
            except DomainError as error:
                _error_to_form(form, error)
    else:
        # A build that failed in the background links back here with its choices.
        form = BatchBuildForm(initial=request.GET.dict(), bureau=bureau)
    page = Paginator(
        selectors.batch_list_for(request.user).order_by("-created_at", "-pk"), PER_PAGE
    ).get_page(request.GET.get("page"))
    rows = [{"batch": batch, "total": money(batch.total_fen)} for batch in page]
    return render(
        request,
        "payments/batch_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "bureau": bureau,
            "jobs": selectors.recent_job_list_for(request.user),
        },
    )


def _build(request, choices):
    filters = {
        "graduation_year": choices["graduation_year"].pk,
        "school": choices["school"].pk if choices["school"] else None,
        "category_code": choices["category_code"],
    }
    if not jobs.runs_inline(services.batch_build_count(actor=request.user, **filters)):
        job = jobs.job_start(
            actor=request.user, kind=PaymentJob.Kind.BUILD, client_address=client_ip(request), params=filters
        )
        return redirect("payments:job", pk=job.pk)
    batch = services.batch_build(actor=request.user, client_address=client_ip(request), **filters)
    messages.success(request, jobs.built_message(batch))
    return redirect("payments:batch_detail", pk=batch.pk)


def _report_rows(imported) -> list[dict]:
    report = imported.report or {}
    columns = report.get("columns") or services.REPORT_COLUMNS
    rows = []
    for values in report.get("rows") or []:
        row = dict(zip(columns, values, strict=False))
        if row.get("outcome") == services.REFUSED:
            refusal = services.LINE_REFUSALS.get(row.get("code"))
            if refusal is not None:  # worded in the reader's language, not the importer's
                row["message"] = str(refusal)
            rows.append(row)
    return rows


def _detail_context(request, batch, *, import_form=None, import_bank=None, result=None):
    user = request.user
    banks = [
        {
            **bank,
            "total": money(bank["total_fen"]),
            "form": ReturnImportForm(initial={"bank": bank["bank_id"]}),
        }
        for bank in selectors.batch_banks(batch)
    ]
    if import_form is not None:
        for bank in banks:
            if bank["bank_id"] == import_bank:
                bank["form"] = import_form
    page = Paginator(selectors.item_list_for(user, batch).order_by("pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    items = [{"item": item, "amount": money(item.amount_fen)} for item in page]
    imports = [
        {"imported": imported, "paid": money(imported.paid_fen), "failed": money(imported.failed_fen)}
        for imported in selectors.return_import_list_for(user, batch).order_by("-imported_at", "-pk")
    ]
    draft = batch.status == PaymentBatch.Status.DRAFT
    return {
        "batch": batch,
        "total": money(batch.total_fen),
        "banks": banks,
        "page": page,
        "items": items,
        "totals": with_money(reports.totals_by_batch(batch)),
        "imports": imports,
        "draft": draft,
        "is_maker": batch.created_by_id == user.pk,
        "result": result,
        "refused_rows": _report_rows(result) if result is not None else [],
    }


@officer_required
def batch_detail(request, pk):
    batch = _batch_or_404(request.user, pk)
    result = None
    shown = request.GET.get("import")
    if shown and shown.isdigit():
        result = selectors.return_import_get_for(request.user, batch, int(shown))
    return render(request, "payments/batch_detail.html", _detail_context(request, batch, result=result))


@require_POST
@officer_required
def batch_approve(request, pk):
    batch = _batch_or_404(request.user, pk)
    try:
        if not jobs.runs_inline(batch.item_count):
            job = jobs.job_start(
                actor=request.user,
                kind=PaymentJob.Kind.APPROVE,
                client_address=client_ip(request),
                batch=batch,
            )
            return redirect("payments:job", pk=job.pk)
        services.batch_approve(actor=request.user, batch=batch, client_address=client_ip(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, jobs.approved_message())
    return redirect("payments:batch_detail", pk=batch.pk)


@require_POST
@officer_required
def batch_discard(request, pk):
    batch = _batch_or_404(request.user, pk)
    number = batch.number
    try:
        services.batch_discard(actor=request.user, batch=batch, client_address=client_ip(request))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("payments:batch_detail", pk=batch.pk)
    messages.success(request, _("批次%(number)s已作废，其中的申请可以编入新的批次。") % {"number": number})
    return redirect("payments:batch_list")


def _bank_download(request, pk, bank, service, content_type):
    batch = _batch_or_404(request.user, pk)
    try:
        filename, data = service(
            actor=request.user, batch=batch, bank=bank, client_address=client_ip(request)
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("payments:batch_detail", pk=batch.pk)
    return _download(filename, data, content_type)


@officer_required
def bank_file(request, pk, bank):
    return _bank_download(request, pk, bank, services.bank_file_export, BANK_CSV)


@officer_required
def bank_excel(request, pk, bank):
    return _bank_download(request, pk, bank, services.bank_file_excel, XLSX)


@officer_required
def batch_report(request, pk):
    batch = _batch_or_404(request.user, pk)
    return _download(f"{batch.number}_report.xlsx", reports.batch_report_xlsx(batch), XLSX)


def import_result_url(batch_id: int, import_id: int) -> str:
    detail = reverse("payments:batch_detail", kwargs={"pk": batch_id})
    return f"{detail}?import={import_id}#import-result"


@require_POST
@officer_required
def return_import(request, pk):
    batch = _batch_or_404(request.user, pk)
    form = ReturnImportForm(request.POST, request.FILES)
    bank = request.POST.get("bank", "")
    if form.is_valid():
        upload = form.cleaned_data["file"]
        bank_lines = selectors.bank_line_count(batch, form.cleaned_data["bank"])
        try:
            if not jobs.runs_inline(bank_lines):
                job = jobs.job_start(
                    actor=request.user,
                    kind=PaymentJob.Kind.RETURN_IMPORT,
                    client_address=client_ip(request),
                    batch=batch,
                    params={"bank": form.cleaned_data["bank"]},
                    filename=upload.name,
                    data=upload.read(),
                )
                return redirect("payments:job", pk=job.pk)
            imported = services.return_file_import(
                actor=request.user,
                batch=batch,
                bank=form.cleaned_data["bank"],
                filename=upload.name,
                data=upload.read(),
                client_address=client_ip(request),
            )
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            messages.add_message(request, jobs.imported_level(imported), jobs.imported_message(imported))
            return redirect(import_result_url(batch.pk, imported.pk))
    batch = _batch_or_404(request.user, pk)
    return render(
        request,
        "payments/batch_detail.html",
        _detail_context(request, batch, import_form=form, import_bank=bank),
        status=400,
    )


# --- 发放统计 ----------------------------------------------------------------------------------


@officer_required
def totals(request):
    """The bureau's own totals only: per graduation year and per batch (reports.totals_by_year
    covers every bureau, so the per-year rows are the bureau's row of totals_by_bureau)."""
    bureau = selectors.officer_bureau(request.user)
    years = selectors.batch_list_for(request.user).values_list("graduation_year_id", flat=True).distinct()
    by_year = []
    for year in sorted(set(years), reverse=True):
        for row in reports.totals_by_bureau(year):
            if row["batch__bureau_id"] == bureau.pk:
                by_year.append(with_money({**row, "batch__graduation_year_id": year}))
    batches = [
        {"batch": batch, **with_money(reports.totals_by_batch(batch))}
        for batch in selectors.batch_list_for(request.user).order_by("-created_at", "-pk")[:PER_PAGE]
    ]
    return render(
        request,
        "payments/totals.html",
        {"bureau": bureau, "batches": batches, "by_year": by_year, "shown": PER_PAGE},
    )


# --- 重新发放 (the applicant) ------------------------------------------------------------------


@require_POST
@person_required
def reissue(request, pk):
    try:
        application = subsidy_selectors.application_get_for(request.user, pk)
    except Application.DoesNotExist:
        raise Http404 from None
    try:
        services.payment_reissue(
            actor=request.user, application=application, client_address=client_ip(request)
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已确认处理好，补贴将在下一个发放批次中重新发放到您的社会保障卡。"))
    return redirect("subsidy:case", pk=pk)
