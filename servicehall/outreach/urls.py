from django.urls import path

from . import views, views_person

app_name = "outreach"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("export/", views.export, name="export"),
    path("run/", views.run, name="run"),
    path("run/progress/", views.run_progress, name="run_progress"),
    path("import/", views.list_import, name="import"),
    path("import/<int:pk>/", views.import_report, name="import_report"),
    path("invitations/<int:pk>/", views_person.invitation, name="invitation"),
    path("link/<str:token>/", views_person.link, name="link"),
]
