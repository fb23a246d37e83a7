import re

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from servicehall.core.admin import ReadOnlyAdmin
from servicehall.core.masking import mask_mobile
from servicehall.core.search_tokens import search_recall, search_remember

from .models import SmsMessage
from .services import mobile_index_of

SEARCH_TOKEN = "s"  # noqa: S105 - a query parameter's name, not a secret


class _SearchTokenChangeList(ChangeList):
    """The list's links keep `s=<token>` like any parameter; it is not a field lookup."""

    def get_filters_params(self, params=None):
        lookup = super().get_filters_params(params)
        lookup.pop(SEARCH_TOKEN, None)
        return lookup


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

    def get_changelist(self, request, **kwargs):
        return _SearchTokenChangeList

    def changelist_view(self, request, extra_context=None):
        """The number is POSTed (change_list.html) and the list's URL carries a token for it
        (core.search_tokens): a full mobile never reaches an access log or the history."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        if request.method == "POST" and "action" not in request.POST:
            query = request.GET.copy()
            for key in ("q", SEARCH_TOKEN, "p"):
                query.pop(key, None)
            term = request.POST.get("q", "").strip()
            if term:
                query[SEARCH_TOKEN] = search_remember(request, term)
            return redirect(f"{request.path}?{query.urlencode()}" if query else request.path)
        request.GET = request.GET.copy()
        request.GET.pop("q", None)  # a number typed into the address bar is not searched
        request.searched_mobile = search_recall(request, request.GET.get(SEARCH_TOKEN, "")) or ""
        searched = mask_mobile(request.searched_mobile) if request.searched_mobile else ""
        return super().changelist_view(request, {**(extra_context or {}), "searched": searched})

    def get_search_results(self, request, queryset, search_term):
        term = (search_term or getattr(request, "searched_mobile", "")).strip()
        if not term:
            return queryset, False
        if not re.fullmatch(r"[0-9]{11}", term):
            return queryset.none(), False
        return queryset.filter(mobile_index=mobile_index_of(term)), False
