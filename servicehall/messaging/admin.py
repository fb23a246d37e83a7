import re

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from servicehall.core.admin import ReadOnlyAdmin
from servicehall.core.masking import mask_mobile

from .models import SmsMessage
from .services import mobile_index_of


@admin.register(SmsMessage)
class SmsMessageAdmin(ReadOnlyAdmin):
    """Read-only. Shows the number masked and never the text (it may carry a code); an
    operator finds a number's messages by typing the full number (looked up by blind index)."""

    list_display = ["created_at", "masked_mobile", "kind", "status", "attempts", "gateway"]
    list_filter = ["status", "kind", "gateway"]
    fields = [
        "masked_mobile", "kind", "status", "attempts", "gateway", "error",
        "created_at", "last_attempt_at", "sent_at",
    ]
    readonly_fields = fields
    search_fields = ["mobile_index"]
    search_help_text = _("输入完整的11位手机号码查找")
    date_hierarchy = "created_at"

    @admin.display(description=_("手机号码"))
    def masked_mobile(self, obj: SmsMessage) -> str:
        return mask_mobile(obj.mobile)

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        if not re.fullmatch(r"[0-9]{11}", term):
            return queryset.none(), False
        return queryset.filter(mobile_index=mobile_index_of(term)), False
