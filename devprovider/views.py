"""The provider's own pages: its login page (with the demo identities listed, it being a
development tool) and the test-only identity endpoints."""

import json
import uuid

from django.contrib.auth import views as auth_views
from django.contrib.auth.models import User
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from .demo import DEMO_IDENTITIES
from .faults import enabled
from .models import Identity


class LoginView(auth_views.LoginView):
    template_name = "devprovider/login.html"
    extra_context = {"identities": DEMO_IDENTITIES}


def identity_save(*, username: str, password: str, name: str, id_number: str = "",
                  mobile: str = "") -> Identity:
    user, _created = User.objects.get_or_create(username=username)
    user.set_password(password)
    user.save()
    identity = Identity.objects.filter(user=user).first() or Identity(user=user, sub=uuid.uuid4().hex)
    identity.name, identity.id_number, identity.mobile = name, id_number or "", mobile or ""
    identity.save()
    return identity


@csrf_exempt
def identities(request, username: str = ""):
    if not enabled():
        raise Http404
    if request.method == "POST":
        body = json.loads(request.body or b"{}")
        identity = identity_save(username=body["username"], password=body.get("password", "Demo@2026"),
                                 name=body.get("name", body["username"]), id_number=body.get("id_number", ""),
                                 mobile=body.get("mobile", ""))
        return JsonResponse({"sub": identity.sub})
    identity = Identity.objects.filter(user__username=username).first()
    if identity is None:
        raise Http404
    return JsonResponse({"sub": identity.sub})
