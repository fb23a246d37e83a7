from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("center/", views.center, name="center"),
    path("center/in-progress/", views.in_progress, name="in_progress"),
    path("center/concluded/", views.concluded, name="concluded"),
]
