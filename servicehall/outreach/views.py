"""The officers' pages of 政策找人: the figures and the not-reached list of a graduation year in
the officer's scope, its Excel export, running the matching again, and a school's import of its
graduating class with the report. Every view of the lists is audited (services.list_viewed)."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from servicehall.accounts.models import Role
from servicehall.core import wording
from servicehall.core.actions import Action
from servicehall.core.decorators import action_required
from servicehall.core.errors import DomainError
from servicehall.core.http import client_ip
from servicehall.subsidy.selectors import graduation_year_get, graduation_years, window_next, window_open

from . import excel, selectors, services
from .forms import GraduateListForm
from .models import GraduateImport
from .runs import match_run_queue

PAGE_SIZE = 50


def _year(request):
    """The graduation year asked for, else the open (or next) window's, else the latest."""
    asked = request.GET.get("year") or request.POST.get("year") or ""
    if asked.isdigit() and (year := graduation_year_get(int(asked))) is not None:
        return year
    window = window_open() or window_next()
    if window is not None:
        return window.graduation_year
    years = graduation_years()
    if not years:
        raise Http404
    return years[max(years)]


@action_required(Action.FIND_GRADUATES)
@never_cache
def overview(request):
    year = _year(request)
    figures = selectors.figures_for(request.user, year)
    page = Paginator(selectors.not_reached_for(request.user, year), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = selectors.not_reached_rows(page.object_list, year.pk)
    services.list_viewed(
        actor=request.user, graduation_year=year, shown=len(rows), client_address=client_ip(request)
    )
    return render(
        request,
        "outreach/overview.html",
        {
            "year": year,
            "page_query": f"year={year.pk}",
            "years": sorted(graduation_years(), reverse=True),
            "figures": figures,
            "columns": selectors.COLUMN_LABELS,
            "page": page,
            "rows": rows,
            "run": selectors.last_run_for(request.user, year),
            "scope": selectors.scope_name(request.user),
            "may_run": request.user.role in (Role.OPERATOR, Role.SCHOOL_REVIEWER),
            "is_school": request.user.role == Role.SCHOOL_REVIEWER,
        },
    )


@action_required(Action.FIND_GRADUATES)
def export(request):
    year = _year(request)
    graduates = selectors.not_reached_for(request.user, year)
    rows = selectors.not_reached_rows(graduates.iterator(chunk_size=2000), year.pk)
    services.list_exported(
        actor=request.user, graduation_year=year, rows=len(rows), client_address=client_ip(request)
    )
    now = timezone.now()
    content = excel.not_reached_workbook(
        rows, year=year.pk, scope_label=selectors.scope_name(request.user), generated_at=now
    )
    response = HttpResponse(content, content_type=excel.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="outreach-not-reached-{year.pk}-{now:%Y%m%d}.xlsx"'
    )
    return response


@action_required(Action.FIND_GRADUATES)
@require_POST
def run(request):
    """比对 again: an operator over every list of the year, a school over its own."""
    year = _year(request)
    if request.user.role == Role.OPERATOR:
        school = None
    elif request.user.role == Role.SCHOOL_REVIEWER:
        school = request.user.organisation.school
    else:
        raise PermissionDenied
    match_run_queue(
        actor=request.user, graduation_year=year, school=school, client_address=client_ip(request)
    )
    return redirect(f"{reverse('outreach:overview')}?year={year.pk}")


@action_required(Action.FIND_GRADUATES)
@never_cache
def run_progress(request):
    """The run's progress for htmx (every two seconds while it runs)."""
    year = _year(request)
    return render(
        request, "outreach/_run.html", {"run": selectors.last_run_for(request.user, year), "year": year}
    )


@action_required(Action.FIND_GRADUATES)
def list_import(request):
    if request.user.role != Role.SCHOOL_REVIEWER:
        raise PermissionDenied
    form = GraduateListForm(
        request.POST or None, request.FILES or None, initial={"graduation_year": _year(request)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.graduate_list_import(
                actor=request.user,
                uploaded_file=form.cleaned_data["file"],
                graduation_year=form.cleaned_data["graduation_year"],
                client_address=client_ip(request),
            )
        except DomainError as error:
            error.add_to_form(form)
        else:
            return redirect("outreach:import_report", pk=batch.pk)
    year = form.cleaned_data["graduation_year"] if form.is_bound and form.is_valid() else _year(request)
    return render(
        request,
        "outreach/import.html",
        {
            "form": form,
            "imports": selectors.imports_for(request.user, year)[:20],
            "header_line": ",".join(label for _name, label in services.LIST_COLUMNS),
        },
    )


@action_required(Action.FIND_GRADUATES)
def import_report(request, pk: int):
    try:
        batch = selectors.import_get_for(request.user, pk)
    except GraduateImport.DoesNotExist:
        raise Http404 from None
    services.list_viewed(actor=request.user, graduation_year=batch.graduation_year, report=batch,
                         shown=min(batch.rejected_count, services.MAX_REPORTED_PROBLEMS),
                         client_address=client_ip(request))
    return render(
        request,
        "outreach/import_report.html",
        {
            "batch": batch,
            "problems": wording.read_rows(batch.rejected_rows),
            "problems_cut": len(batch.rejected_rows) >= services.MAX_REPORTED_PROBLEMS,
            "max_problems": services.MAX_REPORTED_PROBLEMS,
            "title": _("毕业生名单导入结果"),
        },
    )
