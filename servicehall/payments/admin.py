"""Read-only and masked: batches, lines and files change only through services.py."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from servicehall.core.admin import ReadOnlyAdmin

from .models import BankFile, PaymentBatch, PaymentItem, ReturnImport


@admin.register(PaymentBatch)
class PaymentBatchAdmin(ReadOnlyAdmin):
    list_display = ["number", "bureau", "graduation_year", "status", "item_count", "total_yuan", "created_at"]
    list_filter = ["status", "graduation_year", "bureau"]
    fields = [
        "bureau",
        "graduation_year",
        "school",
        "status",
        "created_by",
        "created_at",
        "approved_by",
        "approved_at",
        "closed_at",
        "item_count",
        "total_fen",
    ]

    @admin.display(description=_("批次号"))
    def number(self, obj):
        return obj.number

    @admin.display(description=_("金额（元）"))
    def total_yuan(self, obj):
        return obj.total_yuan


@admin.register(PaymentItem)
class PaymentItemAdmin(ReadOnlyAdmin):
    list_display = [
        "record_number",
        "batch",
        "masked_name",
        "masked_account",
        "amount_yuan",
        "status_label",
        "settled_at",
    ]
    list_filter = ["status", "bank"]
    search_fields = ["record_number"]
    fields = [
        "batch",
        "record_number",
        "bank",
        "amount_fen",
        "status",
        "bank_reason",
        "settled_at",
        "return_import",
    ]

    @admin.display(description=_("户名"))
    def masked_name(self, obj):
        return obj.masked_name

    @admin.display(description=_("银行账号"))
    def masked_account(self, obj):
        return obj.masked_account

    @admin.display(description=_("金额（元）"))
    def amount_yuan(self, obj):
        return obj.amount_yuan

    @admin.display(description=_("状态"), ordering="status")
    def status_label(self, obj):
        return obj.status_label


@admin.register(BankFile)
class BankFileAdmin(ReadOnlyAdmin):
    list_display = ["filename", "batch", "bank", "rows", "total_fen", "sha256", "generated_at"]


@admin.register(ReturnImport)
class ReturnImportAdmin(ReadOnlyAdmin):
    list_display = [
        "filename",
        "batch",
        "bank",
        "imported_at",
        "line_count",
        "paid_count",
        "failed_count",
        "refused_count",
    ]
    exclude = ["report"]

    def get_queryset(self, request):
        # A 100,000-line file's report is megabytes; the list never needs it.
        return super().get_queryset(request).defer("report")
