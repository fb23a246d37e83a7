from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("servicehall.portal.urls")),
    path("accounts/", include("servicehall.accounts.urls")),
    path("reference/", include("servicehall.reference.urls")),
    path("messaging/", include("servicehall.messaging.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler400 = "servicehall.portal.views.bad_request"
handler403 = "servicehall.portal.views.permission_denied"
handler404 = "servicehall.portal.views.page_not_found"
handler500 = "servicehall.portal.views.server_error"
