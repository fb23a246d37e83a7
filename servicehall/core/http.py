from django.conf import settings
from django.utils.http import url_has_allowed_host_and_scheme
from ipware import get_client_ip


def client_ip(request) -> str:
    """The client's address: the one place every reader takes it from (django-axes through
    AXES_CLIENT_IP_CALLABLE, the rate limits, the API throttles, the audit trail).

    With TRUSTED_PROXY_COUNT = 0 only REMOTE_ADDR counts and X-Forwarded-For is ignored. With
    N trusted proxies in front, each appends the address it saw, so the client is the entry N
    from the right of X-Forwarded-For; whatever the client wrote further left is never read."""
    proxies = settings.TRUSTED_PROXY_COUNT
    address = None
    if proxies > 0:
        address, _routable = get_client_ip(
            request,
            proxy_order="left-most",
            proxy_count=proxies - 1,
            request_header_order=["HTTP_X_FORWARDED_FOR"],
            strict=False,
        )
    if address is None:
        address, _routable = get_client_ip(request, request_header_order=["REMOTE_ADDR"])
    return str(address) if address else "unknown"


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
