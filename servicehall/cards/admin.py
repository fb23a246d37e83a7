from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from servicehall.core.admin import HallModelAdmin, ReadOnlyAdmin

from .models import CardImportBatch, CardOutlet, OutletImportBatch, SocialSecurityCard


@admin.register(SocialSecurityCard)
class SocialSecurityCardAdmin(ReadOnlyAdmin):
    """Cards come only from imports. Only masked numbers are shown: the encrypted columns and
    their indexes are never listed as fields."""

    list_display = ["masked_name_display", "masked_id_number_display", "masked_card_number_display",
                    "generation", "bank", "masked_account_display", "financial_active", "status",
                    "issued_on", "updated_at"]
    list_filter = ["status", "generation", "financial_active", "bank"]
    list_select_related = ["bank"]
    fields = ["masked_name_display", "masked_id_number_display", "masked_card_number_display",
              "generation", "bank", "masked_account_display", "financial_active", "status",
              "issued_on", "updated_at", "import_batch"]
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description=_("姓名"))
    def masked_name_display(self, obj):
        return obj.masked_name

    @admin.display(description=_("证件号码"))
    def masked_id_number_display(self, obj):
        return obj.masked_id_number

    @admin.display(description=_("社会保障卡号"))
    def masked_card_number_display(self, obj):
        return obj.masked_card_number

    @admin.display(description=_("银行账号"))
    def masked_account_display(self, obj):
        return obj.masked_account


@admin.register(CardImportBatch)
class CardImportBatchAdmin(ReadOnlyAdmin):
    list_display = ["imported_at", "imported_by", "filename", "row_count", "created_count",
                    "updated_count", "unchanged_count", "rejected_count"]
    list_select_related = ["imported_by"]
    date_hierarchy = "imported_at"
    fields = ["imported_at", "imported_by", "filename", "sha256", "row_count", "created_count",
              "updated_count", "unchanged_count", "rejected_count", "rejected_rows"]
    readonly_fields = fields


@admin.register(CardOutlet)
class CardOutletAdmin(HallModelAdmin):
    """Outlets come from imports (or the demo loader); an operator can only stop showing one
    (启用), which a later import does not undo."""

    list_display = ["name", "city", "district", "takes_photos", "is_demo", "is_active", "updated_at"]
    list_filter = ["is_active", "takes_photos", "is_demo", "city"]
    list_select_related = ["city", "district"]
    search_fields = ["name", "address"]
    fields = ["name", "city", "district", "address", "hours", "phone", "takes_photos", "is_demo",
              "is_active", "import_batch", "created_at", "updated_at"]
    readonly_fields = [name for name in fields if name != "is_active"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutletImportBatch)
class OutletImportBatchAdmin(CardImportBatchAdmin):
    pass
