from django.conf import settings
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
