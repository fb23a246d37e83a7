from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.utils.translation import gettext_lazy as _

from servicehall.core.admin import ReadOnlyAdmin

from .describe import entry_texts
from .labels import label_of
from .models import AuditEntry


class ActionFilter(admin.SimpleListFilter):
    """The actions written so far, by their names (审计查询's words), not their codes."""

    title = _("操作")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        codes = AuditEntry.objects.order_by().values_list("action", flat=True).distinct()
        return sorted(((code, label_of(code)) for code in codes), key=lambda item: item[1])

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


class AuditChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        # Targets and details in words for the whole page at once (describe.entry_texts).
        self.result_list = list(self.result_list)
        texts = entry_texts(self.result_list)
        for entry in self.result_list:
            entry.texts = texts[entry.pk]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action_label", "target_text", "ip_address"]
    list_filter = [ActionFilter]
    list_select_related = ["actor"]
    search_fields = ["target_id", "action"]
    fields = ["at", "actor", "organisation", "action_label", "target_text", "detail_text", "ip_address"]
    readonly_fields = fields

    def get_changelist(self, request, **kwargs):
        return AuditChangeList

    def _texts(self, entry):
        if not hasattr(entry, "texts"):
            entry.texts = entry_texts([entry])[entry.pk]
        return entry.texts

    @admin.display(description=_("操作"), ordering="action")
    def action_label(self, entry):
        return label_of(entry.action)

    @admin.display(description=_("对象"))
    def target_text(self, entry):
        return self._texts(entry).target or "—"

    @admin.display(description=_("详情"))
    def detail_text(self, entry):
        return self._texts(entry).detail_text or "—"
