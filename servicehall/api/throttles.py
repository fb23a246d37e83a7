"""Rate limits of the API that the services do not already apply. Logging in is limited per
address here (django-axes still locks the account after five failures). SMS codes are limited
in one place for the pages and the API alike: accounts.sms_code_request counts every request
per address and per number (messaging.sms_request_admit), and messaging.otp_send per number,
per day and per address."""

from rest_framework.throttling import SimpleRateThrottle

from servicehall.core.http import client_ip


class AddressThrottle(SimpleRateThrottle):
    """Counts by the client's address, read the way django-axes and the pages read it. DRF's own
    get_ident would read X-Forwarded-For by itself (NUM_PROXIES); it is replaced too."""

    def get_ident(self, request):
        return client_ip(getattr(request, "_request", request))

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginThrottle(AddressThrottle):
    scope = "login"
