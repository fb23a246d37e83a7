from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("dev/sms/", views.dev_outbox, name="dev_outbox"),
]
