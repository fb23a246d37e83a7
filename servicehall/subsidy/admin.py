from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from servicehall.core.admin import ReadOnlyAdmin
from servicehall.core.masking import mask_id_number, mask_name

from .models import Application, ApplicationWindow, GraduationYear, HardshipCategory, RequiredMaterial


class ApplicationWindowInline(admin.TabularInline):
    model = ApplicationWindow
    extra = 0


@admin.register(GraduationYear)
class GraduationYearAdmin(admin.ModelAdmin):
    list_display = ["year", "amount_fen"]
    inlines = [ApplicationWindowInline]


class RequiredMaterialInline(admin.TabularInline):
    model = RequiredMaterial
    extra = 0


@admin.register(HardshipCategory)
class HardshipCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "graduation_year", "order", "is_active"]
    list_filter = ["graduation_year", "is_active"]
    inlines = [RequiredMaterialInline]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    """Read-only and masked: applications change only through the workflow's services."""

    list_display = ["record_number", "masked_name", "masked_id", "state", "graduation_year", "submitted_at"]
    list_filter = ["state", "graduation_year"]
    search_fields = ["record_number"]
    fields = ["record_number", "state", "graduation_year", "school", "submitted_at"]

    @admin.display(description=_("姓名"))
    def masked_name(self, obj):
        return mask_name(obj.name)

    @admin.display(description=_("公民身份号码"))
    def masked_id(self, obj):
        return mask_id_number(obj.id_number)
