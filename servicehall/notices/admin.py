from django.contrib import admin

from servicehall.core.admin import HallModelAdmin

from .models import Notice


@admin.register(Notice)
class NoticeAdmin(HallModelAdmin):
    list_display = ["title", "kind", "publisher", "published_at", "is_published"]
    list_filter = ["kind", "is_published"]
    search_fields = ["title", "publisher"]
    date_hierarchy = "published_at"
