"""The catalog's pages: 个人办事, 单位办事, 查询服务, 服务清单, 主题服务, search, the guide, 申报, 收藏."""

import logging

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicehall.core.errors import DomainError
from servicehall.core.http import safe_next
from servicehall.reference.preferences import hall_region

from . import selectors, services
from .hotlines import hotline_for
from .models import Audience, Serves, Service

logger = logging.getLogger(__name__)


def _service_or_404(code):
    try:
        return selectors.service_guide(code)
    except Service.DoesNotExist:
        raise Http404 from None


def _listing_page(request, *, serves, title):
    categories = selectors.categories_with_services(serves)
    category = request.GET.get("category", "")
    if category not in {c.code for c in categories}:
        category = ""
    return render(request, "catalog/listing.html", {
        "title": title, "serves": serves, "categories": categories, "category": category,
        "groups": selectors.catalog_listing(serves=serves, category=category or None),
        "open_group": request.GET.get("group", ""),
        "favourite_codes": selectors.favourite_codes_for(request.user),
    })


def personal(request):
    return _listing_page(request, serves=Serves.PERSON, title=_("个人办事"))


def organisation(request):
    return _listing_page(request, serves=Serves.ORGANISATION, title=_("单位办事"))


def query_services(request):
    return render(request, "catalog/query.html", {
        "groups": selectors.query_service_listing(),
        "favourite_codes": selectors.favourite_codes_for(request.user),
    })


def service_list(request):
    """服务清单: every service in one table."""
    return render(request, "catalog/service_list.html", {
        "services": selectors.service_list_public().prefetch_related("audiences"),
    })


def themes(request):
    return render(request, "catalog/themes.html", {"audiences": selectors.audience_list()})


def theme(request, code):
    try:
        audience = selectors.audience_get(code)
    except Audience.DoesNotExist:
        raise Http404 from None
    return render(request, "catalog/theme.html", {
        "audience": audience, "groups": selectors.catalog_listing(audience=code),
        "favourite_codes": selectors.favourite_codes_for(request.user),
    })


def categories(request):
    """The phone's 服务 tab: the categories, each leading to its groups."""
    return render(request, "catalog/categories.html", {
        "categories": selectors.category_list(), "audiences": selectors.audience_list(),
    })


def search(request):
    query = request.GET.get("q", "")[:100]
    serves = request.GET.get("serves", "")
    serves = serves if serves in Serves.values else None
    result = selectors.service_search(query, serves=serves) if query.strip() else None
    return render(request, "catalog/search.html", {
        "query": query, "serves": serves or "", "result": result,
        "hot": selectors.hot_services() if result is None else [],
        "favourite_codes": selectors.favourite_codes_for(request.user),
    })


def guide(request, code):
    service = _service_or_404(code)
    services.service_visit_record(service=service)
    return render(request, "catalog/guide.html", {
        "service": service, "phone": hotline_for(service.phone, hall_region(request)),
        "favourite_codes": selectors.favourite_codes_for(request.user),
    })


def apply(request, code):
    """申报: the service's own page in this hall, after login (a query, without); other services
    are handled elsewhere and their guide says where."""
    service = _service_or_404(code)
    if not service.is_online:
        return redirect(reverse("catalog:guide", args=[code]) + "#channel")
    if service.needs_login and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if service.needs_login and not request.user.is_person:
        messages.warning(request, _("网上申报仅供个人用户使用，单位工作人员请在工作台办理业务。"))
        return redirect("catalog:guide", code=code)
    target = _entry_redirect(service)
    if target is None:
        messages.error(request, _("网上申报入口暂时无法使用，请稍后再试，或拨打12333咨询。"))
        return redirect("catalog:guide", code=code)
    return target


def _entry_redirect(service):
    """A redirect to the service's page in this hall (its visit counted), or None when its
    entry names no page (an operator's typo in the admin)."""
    problem = "Service %s has an online entry that does not exist: %s"
    try:
        target = reverse(service.online_entry)
    except NoReverseMatch:
        logger.error(problem, service.code, service.online_entry)
        return None
    services.service_visit_record(service=service)
    return redirect(target)


@require_POST
def favourite(request, code):
    service = _service_or_404(code)
    back = safe_next(request, reverse("catalog:guide", args=[code]))
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    adding = request.POST.get("action") != "remove"
    try:
        if adding:
            services.favourite_add(user=request.user, service=service)
        else:
            services.favourite_remove(user=request.user, service=service)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    if request.headers.get("HX-Request"):
        return render(request, "catalog/_favourite_button.html", {
            "service": service, "is_favourite": adding, "next": back, "announce": True,
        })
    messages.success(request, _("已收藏“%(name)s”，可在个人中心查看。") % {"name": service.name} if adding
                     else _("已取消收藏“%(name)s”。") % {"name": service.name})
    return redirect(back)
