from django.urls import path

from . import views

app_name = "subsidy"
urlpatterns = [
    path("apply/", views.apply, name="apply"),
    path("apply/materials/", views.category_materials, name="category_materials"),
    path("cases/<int:pk>/", views.case, name="case"),
    path("cases/<int:pk>/submitted/", views.submitted, name="submitted"),
    path("cases/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("cases/<int:pk>/receipt.pdf", views.receipt_pdf, name="receipt"),
    path("materials/", views.materials, name="materials"),
    path("publicity/<int:pk>/objection/", views.objection, name="objection"),
    path("materials/<uuid:pk>/", views.material_file, name="material_file"),
]
