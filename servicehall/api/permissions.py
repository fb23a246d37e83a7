from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission


class IsPerson(BasePermission):
    """The API is the person's side of the hall: staff use the web workbenches."""

    message = _("请先登录个人账号")

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and getattr(user, "is_person", False))
