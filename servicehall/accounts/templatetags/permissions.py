"""`{% if user|may:"operate" %}`: the menus read the same table as the pages (permissions.py)."""

from django import template

from servicehall.core.actions import Action

from ..permissions import may as _may

register = template.Library()


@register.filter
def may(user, action: str) -> bool:
    return _may(user, Action(action))
