from django.urls import include, path

from . import faults, views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    # Test-only (DEVPROVIDER_FAULTS=1; 404 otherwise).
    path("_faults", faults.arm),
    path("_identities", views.identity_put),
    path("_identities/<str:username>", views.identity_get),
    # django-oauth-toolkit at the root: the issuer has no path. Discovery at
    # /.well-known/openid-configuration, then authorize/, token/, userinfo/, .well-known/jwks.json.
    path("", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
