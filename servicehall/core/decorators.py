"""Decorators for pages, kept in core because every app's pages use them, 我的消息 in messaging
(below accounts) included. They read only `request.user` and a URL name, never an app's module."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect


def person_required(view):
    """Pages for people (applicants): log in first; staff go to their 工作台."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.is_person:
            return redirect("accounts:staff_home")
        return view(request, *args, **kwargs)

    return wrapper


def action_required(*actions):
    """Staff pages for those whose role may take one of `actions` (accounts/permissions.py):
    someone logged out goes to 单位登录, a person to 个人中心, other staff get 403. With no
    action, any staff member (the 工作台)."""

    def decorate(view):
        @wraps(view)
        @login_required(login_url="accounts:login_staff")
        def wrapper(request, *args, **kwargs):
            if request.user.is_person:
                return redirect("portal:center")
            if actions and not any(request.user.may(action) for action in actions):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


staff_required = action_required()
