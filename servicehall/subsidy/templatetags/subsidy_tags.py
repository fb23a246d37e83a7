from django import template

register = template.Library()


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


@register.inclusion_tag("subsidy/_state_tag.html")
def state_tag(application):
    """A case's state in words and colour, the same everywhere."""
    return {"label": application.get_state_display(), "css": _TAGS.get(application.state, "tag--pending")}
