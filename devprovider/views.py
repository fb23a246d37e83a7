"""The provider's own pages: its login page (listing the demo identities, it being a development
tool) and the test-only identity endpoints."""

from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .demo import DEMO_IDENTITIES, PASSWORD
from .faults import json_body, test_only
from .identities import identity_save
from .models import Identity


class LoginView(auth_views.LoginView):
    template_name = "devprovider/login.html"
    extra_context = {"identities": DEMO_IDENTITIES, "demo_password": PASSWORD}


@csrf_exempt
@test_only
@require_POST
def identity_put(request):
    """POST /_identities {"username", "password", "name", "id_number"?, "mobile"?} -> {"sub"}."""
    try:
        body = json_body(request)
        fields = {key: body.get(key) or "" for key in ("username", "password", "name", "id_number", "mobile")}
    except ValueError as error:
        return JsonResponse({"error": str(error)}, status=400)
    if not fields["username"]:
        return JsonResponse({"error": "username is required"}, status=400)
    identity = identity_save(
        username=fields["username"], password=fields["password"] or PASSWORD,
        name=fields["name"] or fields["username"], id_number=fields["id_number"], mobile=fields["mobile"])
    return JsonResponse({"sub": identity.sub})


@test_only
@require_GET
def identity_get(request, username: str):
    """GET /_identities/<username> -> {"sub"}."""
    identity = Identity.objects.filter(user__username=username).first()
    if identity is None:
        return JsonResponse({"error": "no such identity"}, status=404)
    return JsonResponse({"sub": identity.sub})
