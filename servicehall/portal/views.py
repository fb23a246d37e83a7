"""Pages that compose the others: the home page, 个人中心, the phone's 我的, the header's
preferences (region, 长辈版), and the error pages."""

import sys

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.csrf import csrf_failure as django_csrf_failure
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_POST

from servicehall.catalog import selectors as catalog
from servicehall.core.decorators import person_required
from servicehall.core.http import safe_next
from servicehall.core.json_errors import json_under_api
from servicehall.notices.selectors import notices_newest
from servicehall.outreach import selectors as outreach
from servicehall.reference.preferences import REGION_COOKIE
from servicehall.reference.selectors import is_jiangsu_city
from servicehall.subsidy import selectors as subsidy

from . import selectors
from .preferences import CARE_MODE_COOKIE, PREFERENCE_MAX_AGE
from .unavailable import dependency_down, unavailable_response

HOME_NOTICES = 5


def home(request):
    return render(request, "portal/home.html", {
        "audiences": catalog.audiences(),
        "hot_services": catalog.hot_services(),
        "home_blocks": catalog.home_blocks(),
        "notices": notices_newest(HOME_NOTICES),
        "province_portal_url": settings.HALL_PROVINCE_PORTAL_URL,
        "wechat_account": settings.HALL_WECHAT_ACCOUNT,
    })


def my(request):
    """我的: the phone's menu, as the app has it."""
    return render(request, "portal/my.html", {"tab": "my"})


def _back(request):
    return safe_next(request, reverse("portal:home"))


def _remember(request, response, name, value):
    response.set_cookie(name, value, max_age=PREFERENCE_MAX_AGE, samesite="Lax",
                        secure=request.is_secure(), httponly=True)
    return response


@require_POST
def region_switch(request):
    """厅本级 or one of the 13 cities, remembered in a cookie."""
    code = request.POST.get("region", "")
    response = redirect(_back(request))
    # A region code is six digits; anything else (a NUL byte PostgreSQL refuses) is no city.
    if code.isascii() and code.isdigit() and is_jiangsu_city(code):
        return _remember(request, response, REGION_COOKIE, code)
    response.delete_cookie(REGION_COOKIE)
    return response


@require_POST
def care_mode_switch(request):
    """长辈版 on or off, remembered in a cookie."""
    response = redirect(_back(request))
    if request.POST.get("care_mode") == "1":
        return _remember(request, response, CARE_MODE_COOKIE, "1")
    response.delete_cookie(CARE_MODE_COOKIE)
    return response


@person_required
def center(request):
    return render(request, "portal/center_info.html", {
        "tab": "info", "recommended": selectors.recommended_for(request.user),
        "invitation": outreach.invitation_waiting_for(request.user),
    })


@person_required
def in_progress(request):
    cases, draft = subsidy.in_progress_for(request.user)
    return render(request, "portal/center_cases.html", {"tab": "in_progress", "cases": cases, "draft": draft})


@person_required
def concluded(request):
    return render(request, "portal/center_cases.html", {
        "tab": "concluded", "cases": subsidy.case_list_for(request.user, concluded=True),
    })


# The page of each of 个人中心's tabs of cases (subsidy.selectors.case_tab_for names one).
CASE_TABS = {subsidy.IN_PROGRESS_TAB: "portal:in_progress", subsidy.CONCLUDED_TAB: "portal:concluded"}


@person_required
def cases(request):
    """我的办件 (the phone's 我的): the tab of cases that has something. A link of its own, so
    that 我的 costs no query for it and a visitor who logs in first still gets the right tab."""
    return redirect(CASE_TABS[subsidy.case_tab_for(request.user)])


@person_required
def favourites(request):
    return render(request, "portal/center_favourites.html", {
        "tab": "favourites", "favourites": catalog.favourite_list_for(request.user),
        "favourite_codes_all": catalog.favourite_codes_for(request.user),
    })


# Under /api/ these answer in the API's JSON error shape instead (core.json_errors.json_under_api).
@json_under_api(400)
@requires_csrf_token
def bad_request(request, exception=None):
    return render(request, "portal/error.html", {"status": 400}, status=400)


@json_under_api(403)
@requires_csrf_token
def permission_denied(request, exception=None):
    return render(request, "portal/error.html", {"status": 403}, status=403)


@json_under_api(404)
@requires_csrf_token
def page_not_found(request, exception=None):
    return render(request, "portal/error.html", {"status": 404}, status=404)


@json_under_api(500)
def _server_error_page(request):
    return render(request, "portal/error.html", {"status": 500}, status=500)


@requires_csrf_token
def server_error(request):
    """handler500: a part the hall stands on being down is a 503 (portal.unavailable); anything
    else is the hall's own fault, a 500."""
    if dependency_down(sys.exc_info()[1]):
        return unavailable_response(request)
    return _server_error_page(request)


csrf_failure = json_under_api(403)(django_csrf_failure)
