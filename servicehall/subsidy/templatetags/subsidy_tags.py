from django import template
from django.utils.html import format_html

from servicehall.subsidy.constants import ApplicationStatus

register = template.Library()
# A state's words, looked up directly: Django's get_state_display() rebuilds a dict of every
# choice on each call (a quarter of a millisecond, fifty times on a reviewer's queue page).
_LABELS = dict(ApplicationStatus.choices)


@register.filter
def get_list(mapping, key):
    """mapping[key] as a list, for int or str keys alike; [] when missing."""
    if not mapping:
        return []
    return mapping.get(key) or mapping.get(str(key)) or []


@register.filter
def material_errors(upload_errors, requirement_pk):
    return (upload_errors or {}).get(f"material_{requirement_pk}", [])


_TAGS = {
    "paid": "tag--done",
    "refused": "tag--refused",
    "rejected": "tag--refused",
    "withdrawn": "tag--refused",
    "payment_failed": "tag--refused",
    "returned": "tag--refused",
}


@register.simple_tag
def state_tag(application):
    """A case's state in words and colour, the same everywhere."""
    return state_html(application.state)


def state_html(state: str):
    label = _LABELS.get(state, state)
    return format_html('<span class="tag {}">{}</span>', _TAGS.get(state, "tag--pending"), label)


@register.inclusion_tag("subsidy/_calendar_gaps.html")
def calendar_gaps_notice(link: bool = True):
    """The warning an operator sees while the hall will count working days in a year it does
    not know the holidays of (subsidy.working_calendar); nothing otherwise."""
    from servicehall.subsidy.working_calendar import calendar_gaps, gaps_warning

    gaps = calendar_gaps()
    return {"warning": gaps_warning(gaps) if gaps else "", "link": link}


@register.inclusion_tag("subsidy/_categories_by_year.html")
def subsidy_categories_by_year():
    """The subsidy guide's 各毕业年度的毕业生类型: each graduation year's categories in force,
    from the year set-up (subsidy.selectors.categories_by_year)."""
    from servicehall.subsidy.selectors import categories_by_year

    return {"years": categories_by_year()}
