from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def highlighted(name: str, match=None):
    """The service's name with the part that matched the search in <mark>."""
    if match is None or match.span is None:
        return name
    start, end = match.span
    return format_html("{}<mark>{}</mark>{}", name[:start], name[start:end], name[end:])


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def is_in(value, collection):
    return bool(collection) and value in collection


@register.simple_tag(takes_context=True)
def favourite_button(context, service, is_favourite=False, next_url="", announce=False) -> SafeString:
    """收藏 / 已收藏 beside a service (each row of a list, the guide, and the button's own answer
    to htmx): written here rather than through an included template, which cost some 0.1 ms a
    row on the search page (bench/pages.py)."""
    request = context["request"]
    code, name = service.code, service.name
    if context["user"].is_authenticated:
        action = reverse("catalog:favourite", args=[code])
        label = gettext("已收藏") if is_favourite else gettext("收藏")
        control = format_html(
            '<form method="post" action="{}" class="inline-form" hx-post="{}" hx-target="#fav-{}" '
            'hx-swap="outerHTML"><input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<input type="hidden" name="next" value="{}"><input type="hidden" name="action" value="{}">'
            '<button type="submit" class="button button--secondary button--small" aria-pressed="{}">'
            '{}<span class="visually-hidden">{}</span></button></form>',
            action, action, code, context["csrf_token"], next_url or request.get_full_path(),
            "remove" if is_favourite else "add", "true" if is_favourite else "false", label, name,
        )
    else:
        control = format_html(
            '<a class="button button--secondary button--small" href="{}?next={}">{}'
            '<span class="visually-hidden">{}{}</span></a>',
            reverse("accounts:login"), quote(request.get_full_path()), gettext("收藏"), name,
            gettext("（需先登录）"),
        )
    said = ""
    if announce:
        said = format_html(
            '<span class="visually-hidden" role="status">{}</span>',
            gettext("已收藏") if is_favourite else gettext("已取消收藏"),
        )
    return format_html('<span class="fav" id="fav-{}">{}{}</span>', code, control, said)
