"""{{ moment|period_end }} and {{ moment|period_last_day }}: the end of a period written one way
everywhere (core.moments). Empty for a missing moment."""

from django import template

from servicehall.core.moments import end_text, last_day

register = template.Library()


@register.filter
def period_end(moment):
    return end_text(moment) if moment else ""


@register.filter
def period_last_day(moment):
    return f"{last_day(moment):%Y-%m-%d}" if moment else ""
