"""{% long_form_guard %}, inside a long form: the signed `typed_owner` that lets what the person
typed survive the end of their session (accounts.typed_keeping), and the warning that comes a
few minutes before that end with 继续填写 (hall.js, accounts:session_extend)."""

from django import template

from servicehall.accounts.idle_sessions import session_seconds_left
from servicehall.accounts.typed_keeping import OWNER_FIELD, owner_token

register = template.Library()
WARN_SECONDS = 5 * 60


@register.inclusion_tag("accounts/_long_form_guard.html", takes_context=True)
def long_form_guard(context):
    user = context["request"].user
    return {
        "field": OWNER_FIELD,
        "owner": owner_token(user) if user.is_authenticated else "",
        "seconds": session_seconds_left(),
        "warn": WARN_SECONDS,
    }
