"""The largest request body the hall will read, enforced before it is read.

A request declaring a larger Content-Length is answered 413 at once by the middleware, before
any other middleware (CSRF reads the form) or view could start reading it: nothing is written to
a temporary file. A body that turns out larger than it declared (an ASGI server passes on what
the client sends, whatever the header said) is cut off by the upload handler as it arrives, and
answered 413 the same way, before any view runs.

Pages get a page that says what the limit is and how to go back; the API gets its one error
shape (core.json_errors). nginx will also limit bodies, but the hall does not rely on it.
"""

import re

from django.conf import settings
from django.core.exceptions import DisallowedHost, RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from servicehall.accounts.models import Role
from servicehall.core.json_errors import error_body
from servicehall.core.uploads import MAX_UPLOAD_BYTES
from servicehall.verification.reading import MAX_BYTES as REGISTRY_MAX_BYTES

MEGABYTE = 1024 * 1024
# Room for the form around the files: the apply page's fields, the multipart boundaries.
FORM_OVERHEAD_BYTES = MEGABYTE
# The apply page takes a file per required document in one post: two at the per-file limit.
FILES_PER_REQUEST = 2
_CUT_OFF = "_body_limit_exceeded"


def body_limit() -> int:
    """REQUEST_BODY_MAX_BYTES when set, else two files at core.uploads' per-file limit plus the
    form: the per-file limit is read from that one place."""
    configured = getattr(settings, "REQUEST_BODY_MAX_BYTES", None)
    return configured or FILES_PER_REQUEST * MAX_UPLOAD_BYTES + FORM_OVERHEAD_BYTES


# The one upload larger than a person's: an operator importing a 比对名单 (verification/reading.py
# reads up to 300 MB). Only for a logged-in operator on that page: anyone else gets body_limit().
_REGISTRY_IMPORT = re.compile(r"^/verification/registries/[-\w]+/import/$")


def limit_for(request) -> int:
    user = getattr(request, "user", None)
    if (
        _REGISTRY_IMPORT.match(request.path_info)
        and user is not None
        and user.is_authenticated
        and user.role == Role.OPERATOR
    ):
        return REGISTRY_MAX_BYTES + FORM_OVERHEAD_BYTES
    return body_limit()


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class BodyLimitMiddleware:
    """Right after AuthenticationMiddleware (no middleware before it reads the body; CSRF reads
    the form only in process_view, after every __call__): refuses a body declared too large,
    and turns the upload handler's cut-off (Django answers it 400) into the same 413."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _declared_length(request) > limit_for(request):
            return too_large_response(request)
        response = self.get_response(request)
        if getattr(request, _CUT_OFF, False):
            return too_large_response(request)
        return response


class BodyLimitUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: counts every file byte of the request as it arrives and
    stops the parsing once they pass the limit, whatever Content-Length said."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0
        self.limit = limit_for(request) if request is not None else body_limit()

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            if self.request is not None:
                setattr(self.request, _CUT_OFF, True)
            # Django's own exception for a body over its limits: the parser stops, the view never
            # runs, and the middleware above answers 413.
            raise RequestDataTooBig("Upload exceeded the request body limit.")
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler builds the file


def too_large_message(limit: int) -> str:
    return _("一次提交的内容不能超过%(limit)dMB（每个文件不超过%(file)dMB），请分几次上传较小的文件。") % {
        "limit": limit // MEGABYTE,
        "file": MAX_UPLOAD_BYTES // MEGABYTE,
    }


def too_large_response(request):
    message = too_large_message(limit_for(request))
    if request.path.startswith("/api/"):
        response = JsonResponse(error_body(message, code="request_too_large"), status=413)
    else:
        response = render(
            request, "portal/too_large.html", {"message": message, "back_url": _back_url(request)}, status=413
        )
    return response


def _back_url(request) -> str:
    """The page the form was on (the browser's own Back keeps what was typed in most browsers);
    only an address on this site, else the home page."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except DisallowedHost:
        return "/"
    secure = request.is_secure()
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={host}, require_https=secure):
        return referer
    return "/"
