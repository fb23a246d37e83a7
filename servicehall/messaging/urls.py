from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("dev/sms/", views.dev_outbox, name="dev_outbox"),
]

from . import views_inbox  # noqa: E402 - 我的消息 (the in-hall inbox)

urlpatterns += [
    path("inbox/", views_inbox.inbox, name="inbox"),
    path("inbox/<int:pk>/", views_inbox.inbox_message, name="inbox_message"),
    path("inbox/read-all/", views_inbox.inbox_read_all, name="inbox_read_all"),
]
