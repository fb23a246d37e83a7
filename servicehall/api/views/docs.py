"""The API's docs page (Swagger UI from drf-spectacular-sidecar, served by the hall itself) and
the JSON 404 for unknown paths under /api/."""

import threading

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from ..errors import error_body

_SCHEMA_GENERATION = threading.Lock()


class SchemaView(SpectacularAPIView):
    """drf-spectacular loads its extension classes lazily during the first generation of a
    process and is not thread-safe while it does: two first requests at once on a threaded
    server answered 500. Generations run one at a time (they are rare: the docs page, a client
    build)."""

    def _get_schema_response(self, request):
        with _SCHEMA_GENERATION:
            return super()._get_schema_response(request)


class ApiDocsView(SpectacularSwaggerSplitView):
    """The split view serves Swagger UI's start-up script as its own file (`?script`), so the
    page needs no inline script or style and runs under the hall's CSP unchanged."""

    template_name = "api/docs.html"
    url_name = "api-schema"
    title = "API 文档"


@csrf_exempt  # an unknown path answers 404 to every method, not the CSRF failure page
def api_not_found(request, *args, **kwargs):
    return JsonResponse(
        error_body(_("找不到该接口，请核对地址（见 /api/docs/）"), code="not_found"),
        status=404,
        json_dumps_params={"ensure_ascii": False},
    )
