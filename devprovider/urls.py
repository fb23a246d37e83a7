from django.urls import include, path

from . import faults, views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("_faults", faults.arm),
    path("_identities", views.identities),
    path("_identities/<str:username>", views.identities),
    # django-oauth-toolkit at the root: the issuer has no path, discovery at
    # /.well-known/openid-configuration, authorize/, token/, userinfo/, .well-known/jwks.json.
    path("", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
