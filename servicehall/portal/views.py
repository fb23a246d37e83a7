"""Pages that compose the others: the home page, 个人中心, and the error pages."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.csrf import requires_csrf_token


def home(request):
    return render(request, "portal/home.html")


def _person_only(view):
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.is_person:
            return redirect("accounts:staff_home")
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    return wrapper


@_person_only
def center(request):
    return render(request, "portal/center_info.html", {"tab": "info"})


@_person_only
def in_progress(request):
    return render(request, "portal/center_cases.html", {"tab": "in_progress", "cases": []})


@_person_only
def concluded(request):
    return render(request, "portal/center_cases.html", {"tab": "concluded", "cases": []})


@requires_csrf_token
def bad_request(request, exception=None):
    return render(request, "portal/error.html", {"status": 400}, status=400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return render(request, "portal/error.html", {"status": 403}, status=403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return render(request, "portal/error.html", {"status": 404}, status=404)


@requires_csrf_token
def server_error(request):
    return render(request, "portal/error.html", {"status": 500}, status=500)
