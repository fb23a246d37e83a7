from django.contrib import admin

from servicehall.core.admin import ReadOnlyAdmin

from .models import Evaluation


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    """Ratings and answers are written by the applicant and the organisation only."""

    list_display = ["application", "rating", "organisation", "status", "rated_at", "replied_at"]
    list_filter = ["rating", "status"]
