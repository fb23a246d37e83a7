from django.urls import path

from . import views

app_name = "reference"

urlpatterns = [
    path("regions/", views.region_lookup, name="region_lookup"),
    path("regions/picker/", views.region_picker, name="region_picker"),
    path("regions/<str:code>/options/", views.region_options, name="region_options"),
    path("schools/", views.school_list, name="school_list"),
    path("schools/options/", views.school_options, name="school_options"),
]
