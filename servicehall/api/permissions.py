from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from servicehall.accounts.permissions import may
from servicehall.core.actions import Action


class IsPerson(BasePermission):
    """The API is the person's side of the hall (staff use the web workbenches): whoever the
    role table (accounts/permissions.py) lets apply."""

    message = _("请先登录个人账号")

    def has_permission(self, request, view):
        return may(request.user, Action.APPLY)
