"""The operators' pages: the registries with their current versions, importing a new version
(with its column mapping), and one import with its progress and its report. Writes are the
services'; these views only call them and say what happened."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from servicehall.accounts.views.staff import operator_required
from servicehall.core import wording
from servicehall.core.errors import DomainError
from servicehall.core.http import client_ip

from . import selectors, services
from .forms import RegistryImportForm
from .models import Registry, RegistryBatch
from .reading import MAX_ROWS
from .registries import SPECS, spec_for

RECENT_BATCHES = 20


@operator_required
def registries(request):
    current = {(batch.registry, batch.province): batch for batch in selectors.current_batches()}
    rows = []
    for key, spec in SPECS.items():
        versions = [batch for (registry, _province), batch in current.items() if registry == key]
        rows.append({"spec": spec, "current": sorted(versions, key=lambda b: b.province)})
    return render(
        request,
        "verification/registries.html",
        {
            "rows": rows,
            "batches": selectors.batch_list_for(request.user)[:RECENT_BATCHES],
        },
    )


@operator_required
def registry_import(request, registry: str):
    if registry not in Registry.values:
        raise Http404
    spec = spec_for(registry)
    form = RegistryImportForm(request.POST or None, request.FILES or None, spec=spec)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.registry_import_start(
                actor=request.user,
                registry=registry,
                uploaded_file=form.cleaned_data["file"],
                source=form.cleaned_data["source"],
                data_date=form.cleaned_data["data_date"],
                province=form.cleaned_data.get("province", ""),
                mapping=form.mapping,
                client_address=client_ip(request),
            )
        except DomainError as error:
            error.add_to_form(form)
        else:
            return redirect("verification:batch", pk=batch.pk)
    return render(
        request,
        "verification/import.html",
        {
            "spec": spec,
            "form": form,
            "max_rows": f"{MAX_ROWS:,}",
            "header_line": ",".join(spec.headers.values()),
        },
    )


@operator_required
@never_cache
def batch(request, pk: int):
    """One import: its progress while it runs (htmx asks again every second; without JavaScript
    the 刷新 link does), then its counts and the rows it did not import."""
    try:
        item = selectors.batch_get_for(request.user, pk)
    except RegistryBatch.DoesNotExist:
        raise Http404 from None
    polling = request.headers.get("HX-Request") == "true"
    if polling and item.finished:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = request.path
        return response
    context = {
        "batch": item,
        "spec": spec_for(item.registry),
        "problems": wording.read_rows(item.rejected_rows),
        "problems_cut": len(item.rejected_rows) >= services.MAX_REPORTED_PROBLEMS,
        "max_problems": services.MAX_REPORTED_PROBLEMS,
    }
    return render(request, "verification/_progress.html" if polling else "verification/batch.html", context)
