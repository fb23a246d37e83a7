from django import template
from django.utils.html import format_html

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
