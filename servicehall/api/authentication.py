"""`Authorization: Bearer <access token>`: the app's only way to say who it is. No session and
no cookie, so no CSRF token either."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .tokens import token_authenticate

KEYWORD = "Bearer"


class BearerTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("登录凭证格式不正确，请重新登录"), code="token_invalid")
        try:
            access = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(
                _("登录凭证格式不正确，请重新登录"), code="token_invalid"
            ) from None
        row = token_authenticate(access)
        if row is None:
            raise exceptions.AuthenticationFailed(_("登录已过期，请重新登录"), code="token_expired")
        return row.user, row

    def authenticate_header(self, request):
        # Makes DRF answer 401 (not 403) to a request without a valid token.
        return f'{KEYWORD} realm="api"'
