from django.urls import path

from . import views

app_name = "verification"

urlpatterns = [
    path("registries/", views.registries, name="registries"),
    path("registries/<slug:registry>/import/", views.registry_import, name="import"),
    path("batches/<int:pk>/", views.batch, name="batch"),
]
