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
