from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from servicehall.core.admin import HallModelAdmin

from .models import Organisation

admin.site.site_header = _("江苏人社网上办事服务大厅 管理后台")
admin.site.site_title = _("管理后台")
admin.site.index_title = _("平台管理")


@admin.register(Organisation)
class OrganisationAdmin(HallModelAdmin):
    list_display = ["name", "kind", "region", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    autocomplete_fields = ["school", "parent"]
    raw_id_fields = ["region"]

    def has_delete_permission(self, request, obj=None):
        return False  # organisations are deactivated, never deleted: cases refer to them
