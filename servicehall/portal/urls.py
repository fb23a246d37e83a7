from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("center/", views.center, name="center"),
    path("center/in-progress/", views.in_progress, name="in_progress"),
    path("center/concluded/", views.concluded, name="concluded"),
    path("center/cases/", views.cases, name="cases"),
    path("center/favourites/", views.favourites, name="favourites"),
    path("my/", views.my, name="my"),
    path("preferences/region/", views.region_switch, name="region_switch"),
    path("preferences/care-mode/", views.care_mode_switch, name="care_mode_switch"),
]
