from django.urls import path

from . import calendar_views, progress_views, review_case_views, review_checks, review_views, views

app_name = "subsidy"
urlpatterns = [
    path("apply/", views.apply, name="apply"),
    path("apply/materials/", views.category_materials, name="category_materials"),
    path("apply/fill-from-withdrawn/", views.apply_fill_from_withdrawn, name="apply_fill_from_withdrawn"),
    path("cases/<int:pk>/", views.case, name="case"),
    path("cases/<int:pk>/submitted/", views.submitted, name="submitted"),
    path("cases/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("cases/<int:pk>/receipt.pdf", views.receipt_pdf, name="receipt"),
    path("materials/", views.materials, name="materials"),
    path("publicity/<int:pk>/objection/", views.objection, name="objection"),
    path("materials/<uuid:pk>/", views.material_file, name="material_file"),
    path("materials/<uuid:pk>/delete/", views.material_delete, name="material_delete"),
]

# 办件进度查询 without logging in (the receipt's QR code opens it).
urlpatterns += [path("progress/", progress_views.progress_lookup, name="progress_lookup")]

# The operator's working calendar (节假日安排).
urlpatterns += [path("calendar/", calendar_views.calendar, name="calendar")]

# The reviewers' workbench (学校审核, 人社初审 / 复审, 异议处理).
urlpatterns += [
    path("review/", review_views.review_queue, name="review_queue"),
    path("review/batch/", review_views.review_batch, name="review_batch"),
    path("review/export.xlsx", review_views.review_export, name="review_export"),
    path("review/objections/", review_views.review_objections, name="review_objections"),
    path("review/<int:pk>/", review_case_views.review_detail, name="review_detail"),
    # 数据比对 on the workbench (servicehall/verification).
    path("review/<int:pk>/recheck/", review_checks.review_recheck, name="review_recheck"),
    path("review/<int:pk>/override/", review_checks.review_check_override, name="review_check_override"),
    path("review/recheck/", review_checks.review_recheck_all, name="review_recheck_all"),
    path(
        "review/<int:pk>/materials/<uuid:material_id>/",
        review_case_views.review_material,
        name="review_material",
    ),
]
