from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from servicehall.audit.services import audit_record
from servicehall.core.admin import HallModelAdmin, ReadOnlyAdmin
from servicehall.core.errors import DomainError
from servicehall.core.http import client_ip
from servicehall.core.masking import mask_id_number, mask_name

from .models import (
    Application,
    ApplicationWindow,
    GraduationYear,
    HardshipCategory,
    RequiredMaterial,
    RetentionPolicy,
)
from .working_calendar import calendar_gaps, gaps_warning
from .years import graduation_year_copy


class ApplicationWindowInline(admin.StackedInline):  # stacked: each field labelled (axe)
    model = ApplicationWindow
    extra = 0


@admin.register(GraduationYear)
class GraduationYearAdmin(HallModelAdmin):
    list_display = ["year", "amount_fen", "publicity_days", "school_review_days", "publish_days",
                    "first_review_days", "second_review_days"]
    inlines = [ApplicationWindowInline]
    actions = ["set_up_next_year"]

    def _warn_of_calendar_gaps(self, request):
        """The year set-up is where windows get their dates: say here which years the hall
        would count Monday to Friday (subsidy.working_calendar)."""
        if request.method == "GET" and (gaps := calendar_gaps()):
            self.message_user(request, gaps_warning(gaps), messages.WARNING)

    def changelist_view(self, request, extra_context=None):
        self._warn_of_calendar_gaps(request)
        return super().changelist_view(request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        self._warn_of_calendar_gaps(request)
        return super().changeform_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("以所选年度为模板设立下一毕业年度"))
    def set_up_next_year(self, request, queryset):
        """The next year copies the chosen one (amount, time limits, categories, materials) with
        its own default windows; the operator then edits what changed."""
        for source in queryset.order_by("year"):
            try:
                created = graduation_year_copy(source=source, year=source.year + 1)
            except DomainError:
                exists = _("%(year)s毕业年度已存在，未重复设立。") % {"year": source.year + 1}
                self.message_user(request, exists, messages.WARNING)
                continue
            audit_record(
                actor=request.user,
                action="config.add",
                target=created,
                client_address=client_ip(request),
                detail={"object": str(created), "copied_from": source.year},
            )
            self.message_user(
                request,
                _("已设立%(year)s毕业年度（复制自%(source)s）。请核对申报期和毕业生类型。")
                % {"year": created.year, "source": source.year},
                messages.SUCCESS,
            )


class RequiredMaterialInline(admin.StackedInline):
    model = RequiredMaterial

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if obj is None else 0  # a new category starts with one material to fill in


@admin.register(HardshipCategory)
class HardshipCategoryAdmin(HallModelAdmin):
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


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(HallModelAdmin):
    """One row: the operator sets the periods; the scheduled purge_expired_data applies them."""

    list_display = ["__str__", "draft_days", "material_days"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not RetentionPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
