"""The API's docs page (Swagger UI from drf-spectacular-sidecar, served by the hall itself) and
the JSON 404 for unknown paths under /api/."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularSwaggerSplitView

from ..errors import error_body


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
