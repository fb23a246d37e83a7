from django.conf import settings


def client_ip(request) -> str:
    """The client's address, the same way django-axes reads it (see AXES_IPWARE_...)."""
    for header in settings.AXES_IPWARE_META_PRECEDENCE_ORDER:
        value = request.META.get(header, "")
        if value:
            return value.split(",")[0].strip()[:64]
    return "unknown"
