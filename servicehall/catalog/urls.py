from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("personal/", views.personal, name="personal"),
    path("organisation/", views.organisation, name="organisation"),
    path("query/", views.query_services, name="query"),
    path("catalog/", views.service_list, name="list"),
    path("themes/", views.themes, name="themes"),
    path("themes/<slug:code>/", views.theme, name="theme"),
    path("search/", views.search, name="search"),
    path("services/", views.categories, name="categories"),
    path("services/<slug:code>/", views.guide, name="guide"),
    path("services/<slug:code>/apply/", views.apply, name="apply"),
    path("services/<slug:code>/favourite/", views.favourite, name="favourite"),
]
