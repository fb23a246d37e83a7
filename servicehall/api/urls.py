"""/api/: the schema, its docs page, and version 1 of the person's API (docs/api.md)."""

from django.urls import include, path, re_path, register_converter
from django.urls.converters import IntConverter

from .views import application, auth, cases, catalog, docs, me, outreach, providers


class IdConverter(IntConverter):
    """An id of at most 18 digits: within a 64-bit integer in every database."""

    regex = "[0-9]{1,18}"


register_converter(IdConverter, "id")

v1 = [
    path("auth/sms-code", auth.SmsCodeView.as_view()),
    path("auth/register", auth.RegisterView.as_view()),
    path("auth/login/password", auth.PasswordLoginView.as_view()),
    path("auth/login/sms", auth.SmsLoginView.as_view()),
    path("auth/refresh", auth.RefreshView.as_view()),
    path("auth/logout", auth.LogoutView.as_view()),
    path("auth/logout-all", auth.LogoutAllView.as_view()),
    path("auth/providers", providers.ProviderListView.as_view()),
    path("auth/login/provider", providers.ProviderLoginView.as_view()),
    path("auth/provider/sms-code", providers.ProviderSmsCodeView.as_view()),
    path("auth/provider/confirm", providers.ProviderConfirmView.as_view()),
    path("auth/provider/bind", providers.ProviderBindByPasswordView.as_view()),
    path("auth/qr-login/check", auth.QrCheckView.as_view()),
    path("auth/qr-login/decide", auth.QrDecideView.as_view()),
    path("me", me.ProfileView.as_view()),
    path("me/card", me.MyCardView.as_view()),
    path("me/bindings", providers.BindingListView.as_view()),
    path("me/bindings/<slug:key>", providers.BindingView.as_view()),
    path("me/invitations", outreach.InvitationListView.as_view()),
    path("me/invitations/<id:pk>/confirm", outreach.InvitationConfirmView.as_view()),
    path("me/invitations/<id:pk>/decline", outreach.InvitationDeclineView.as_view()),
    path("messages", me.MessageListView.as_view()),
    path("messages/read-all", me.MessageReadAllView.as_view()),
    path("messages/<id:pk>", me.MessageDetailView.as_view()),
    path("services/categories", catalog.CategoryListView.as_view()),
    path("services", catalog.ServiceListView.as_view()),
    path("services/search", catalog.ServiceSearchView.as_view()),
    path("services/<slug:code>", catalog.ServiceGuideView.as_view()),
    path("favourites", catalog.FavouriteListView.as_view()),
    path("favourites/<slug:code>", catalog.FavouriteView.as_view()),
    path("reference/regions", catalog.RegionListView.as_view()),
    path("reference/schools", catalog.SchoolListView.as_view()),
    path("application", application.ApplyStatusView.as_view()),
    path("application/options", application.FormOptionsView.as_view()),
    path("applications/<id:pk>", application.ApplicationView.as_view()),
    path("applications/<id:pk>/submit", application.SubmitView.as_view()),
    path("applications/<id:pk>/resubmit", application.ResubmitView.as_view()),
    path("applications/<id:pk>/withdraw", application.WithdrawView.as_view()),
    path("applications/<id:pk>/materials", application.AttachView.as_view()),
    path(
        "applications/<id:pk>/materials/<id:requirement_id>/<uuid:material_id>",
        application.DetachView.as_view(),
    ),
    path("materials", cases.MaterialListView.as_view()),
    path("materials/<uuid:pk>", cases.MaterialDetailView.as_view()),
    path("materials/<uuid:pk>/file", cases.MaterialFileView.as_view()),
    path("cases", cases.CaseListView.as_view()),
    path("cases/<id:pk>", cases.CaseDetailView.as_view()),
    path("cases/<id:pk>/receipt", cases.CaseReceiptView.as_view()),
]

urlpatterns = [
    path("schema/", docs.SchemaView.as_view(), name="api-schema"),
    path("docs/", docs.ApiDocsView.as_view(), name="api-docs"),
    path("v1/", include(v1)),
    # Anything else under /api/ answers in the API's error shape, not with the hall's page.
    re_path(r"", docs.api_not_found),  # also a path with a newline, which "^.*$" misses
]
