from django.urls import path

from . import views

app_name = "cards"

urlpatterns = [
    path("my/", views.my, name="my"),
    path("recheck/", views.recheck, name="recheck"),
    path("verify/<str:token>/", views.verify, name="verify"),
    path("import/", views.import_cards, name="import"),
    path("import/<int:batch_id>/", views.import_report, name="import_report"),
    path("outlets/", views.outlets, name="outlets"),
    path("outlets/import/", views.import_outlets, name="outlet_import"),
    path("outlets/import/<int:batch_id>/", views.outlet_import_report, name="outlet_import_report"),
    path("photo/", views.photo_check, name="photo_check"),
]
