from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidyConfig(AppConfig):
    name = "servicehall.subsidy"
    label = "subsidy"
    verbose_name = _("求职创业补贴")

    def ready(self):
        from servicehall.audit.cases import CaseLookup, register_case_lookup
        from servicehall.core.versions import raised_by_changes_of

        from . import selectors
        from .models import ApplicationWindow, GraduationYear, HardshipCategory, RequiredMaterial

        raised_by_changes_of(
            selectors.SETUP_VERSION, GraduationYear, ApplicationWindow, HardshipCategory, RequiredMaterial
        )

        register_case_lookup(
            CaseLookup(
                target_type="subsidy.application",
                ids_for_number=selectors.application_ids_by_record_number,
                numbers_for_ids=selectors.record_numbers_by_id,
            )
        )
