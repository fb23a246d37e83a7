from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from servicehall.core import health

urlpatterns = [
    # For load balancers and operators, without a session or a login (docs/deployment.md).
    path("healthz", health.liveness, name="healthz"),
    path("readyz", health.ReadinessView.as_view(), name="readyz"),
    path("metrics", health.metrics, name="metrics"),
    path("", include("servicehall.portal.urls")),
    path("", include("servicehall.catalog.urls")),
    path("notices/", include("servicehall.notices.urls")),
    path("cards/", include("servicehall.cards.urls")),
    path("subsidy/", include("servicehall.subsidy.urls")),
    path("payments/", include("servicehall.payments.urls")),
    path("stats/", include("servicehall.stats.urls")),
    path("audit/", include("servicehall.audit.urls")),
    path("evaluation/", include("servicehall.evaluation.urls")),
    path("consult/", include("servicehall.consult.urls")),
    path("verification/", include("servicehall.verification.urls")),
    path("outreach/", include("servicehall.outreach.urls")),
    path("api/", include("servicehall.api.urls")),
    path("", include("servicehall.pwa.urls")),
    path("accounts/", include("servicehall.accounts.urls")),
    path("reference/", include("servicehall.reference.urls")),
    path("messaging/", include("servicehall.messaging.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin is reached only through 单位登录 and its second factor.
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login_staff",
                                              query_string=True)),
    path("admin/", admin.site.urls),
]

handler400 = "servicehall.portal.views.bad_request"
handler403 = "servicehall.portal.views.permission_denied"
handler404 = "servicehall.portal.views.page_not_found"
handler500 = "servicehall.portal.views.server_error"
