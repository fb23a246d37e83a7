"""Rate limits of the API that the services do not already apply. Logging in is limited per
address here (django-axes still locks the account after five failures). SMS codes are limited
in one place for the pages and the API alike: accounts.sms_code_request counts every request
per address and per number (messaging.sms_request_admit), and messaging.otp_send per number,
per day and per address."""

from rest_framework.throttling import SimpleRateThrottle

from servicehall.core.http import client_ip


class AddressThrottle(SimpleRateThrottle):
    """Counts by the client's address, read the way django-axes and the pages read it."""

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request._request)}


class LoginThrottle(AddressThrottle):
    scope = "login"
