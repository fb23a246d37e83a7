from django.contrib import admin

from servicehall.core.admin import HallModelAdmin, ReadOnlyAdmin

from .forms import SchoolAdminForm
from .models import Bank, EducationLevel, EthnicGroup, Region, School
from .services import school_save


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "level", "full_name"]
    list_filter = ["level"]
    search_fields = ["code", "name", "full_name"]
    list_select_related = ["parent"]


@admin.register(EthnicGroup)
class EthnicGroupAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "romanization"]
    search_fields = ["code", "name", "romanization"]


@admin.register(EducationLevel)
class EducationLevelAdmin(HallModelAdmin):
    list_display = ["code", "name", "order", "is_selectable"]
    list_editable = ["order", "is_selectable"]
    readonly_fields = ["code"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Bank)
class BankAdmin(HallModelAdmin):
    list_display = ["code", "name", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]


@admin.register(School)
class SchoolAdmin(HallModelAdmin):
    form = SchoolAdminForm
    list_display = ["name", "code", "city", "level", "ownership", "authority", "is_active"]
    list_filter = ["city", "level", "ownership", "is_active"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["region"]
    list_select_related = ["region"]

    def save_model(self, request, obj, form, change):
        school_save(school=obj)


# Imported here rather than in the block above so this stays an append to a file others edit.
from .models import WorkdayOverride  # noqa: E402


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(HallModelAdmin):
    list_display = ["day", "is_workday", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "day"
    search_fields = ["note"]
