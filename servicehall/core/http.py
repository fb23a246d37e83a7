from django.conf import settings
from django.utils.http import url_has_allowed_host_and_scheme


def client_ip(request) -> str:
    """The client's address, the same way django-axes reads it (see AXES_IPWARE_...)."""
    for header in settings.AXES_IPWARE_META_PRECEDENCE_ORDER:
        value = request.META.get(header, "")
        if value:
            return value.split(",")[0].strip()[:64]
    return "unknown"


# Longer than any path of the hall; a longer `next` is refused rather than carried along.
NEXT_MAX_LENGTH = 2000


def safe_next(request, fallback: str) -> str:
    """The `next` a form or link carries (POST first, then the query) when it is a path of
    this site, else `fallback`. The one rule every view that reads `next` uses.

    Only a same-site absolute path passes: not `abc` (redirect() would take it for a URL
    name), not `javascript:`, `//host` or `\\\\host`, nothing with control characters,
    backslashes or lone surrogates, nothing longer than NEXT_MAX_LENGTH."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not _is_site_path(target):
        return fallback
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return fallback
    return target


def _is_site_path(target: str) -> bool:
    if not target or len(target) > NEXT_MAX_LENGTH:
        return False
    if not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or "\ufffd" in target:  # U+FFFD: bytes that were not UTF-8
        return False
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return False
    try:
        target.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from undecodable bytes
        return False
    return True
