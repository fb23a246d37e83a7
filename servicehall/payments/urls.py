from django.urls import path

from . import job_views, views

app_name = "payments"

urlpatterns = [
    path("", views.batch_list, name="batch_list"),
    path("totals/", views.totals, name="totals"),
    path("<int:pk>/", views.batch_detail, name="batch_detail"),
    path("<int:pk>/approve/", views.batch_approve, name="batch_approve"),
    path("<int:pk>/discard/", views.batch_discard, name="batch_discard"),
    path("<int:pk>/report/", views.batch_report, name="batch_report"),
    path("<int:pk>/import/", views.return_import, name="return_import"),
    path("<int:pk>/banks/<str:bank>/file/", views.bank_file, name="bank_file"),
    path("<int:pk>/banks/<str:bank>/excel/", views.bank_excel, name="bank_excel"),
    path("jobs/<int:pk>/", job_views.job, name="job"),
    path("reissue/<int:pk>/", views.reissue, name="reissue"),
]
