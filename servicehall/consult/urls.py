from django.urls import path

from . import views

app_name = "consult"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("inbox/", views.inbox, name="inbox"),
]
