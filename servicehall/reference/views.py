import re

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import selectors
from .forms import SCHOOL_NAME_MAX_LENGTH, RegionLookupForm, SchoolFilterForm
from .models import Region
from .picker import RegionPickerWidget, region_refresh

# A form field's html name and id, as the picker puts them in its reload URL.
_FIELD_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,99}")


@require_safe
def region_lookup(request):
    form = RegionLookupForm(request.GET or None)
    result = None
    if not region_refresh(form) and form.is_bound and form.is_valid():
        result = form.cleaned_data["region"]
    return render(request, "reference/region_lookup.html", {"form": form, "result": result})


@require_safe
def region_options(request, code):
    """`<option>`s for the children of a region (for htmx and other clients)."""
    try:
        region = selectors.region_get(code)
    except Region.DoesNotExist:
        raise Http404(_("所选行政区划不存在")) from None
    children = selectors.region_children(region.code)
    return render(request, "reference/region_options.html", {"children": children})


@require_safe
def region_picker(request):
    """One picker, re-rendered for what is chosen so far: htmx swaps it in on every change."""
    name, id_ = request.GET.get("name", ""), request.GET.get("id", "")
    if not (_FIELD_NAME.fullmatch(name) and _FIELD_NAME.fullmatch(id_)):
        return HttpResponseBadRequest(_("请求参数不正确"))
    widget = RegionPickerWidget()
    value = widget.value_from_datadict(request.GET, None, name)
    return HttpResponse(widget.render(name, value, attrs={"id": id_}))


@require_safe
def school_list(request):
    form = SchoolFilterForm(request.GET or None)
    if not form.is_bound:
        schools = selectors.school_list_active()
    elif form.is_valid():
        schools = selectors.school_list_active(
            city_code=form.cleaned_data["city"], name=form.cleaned_data["name"],
        )
    else:
        schools = []
    return render(request, "reference/school_list.html", {"form": form, "schools": schools})


def school_options(request):
    """htmx: the <option>s of a school select, filtered by a few characters of the name; the
    school already chosen stays in the list."""
    name = request.GET.get("school_filter", "")[:SCHOOL_NAME_MAX_LENGTH].strip()
    schools = selectors.school_list_active(name=name)
    chosen = request.GET.get("school", "")
    return render(request, "reference/school_options.html", {
        "schools": schools, "chosen": chosen,
        "chosen_school": selectors.school_get(chosen),
    })
