from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferenceConfig(AppConfig):
    name = "servicehall.reference"
    label = "reference"
    verbose_name = _("基础数据")

    def ready(self):
        from servicehall.core.versions import raised_by_changes_of

        from .models import Bank, EducationLevel, EthnicGroup, Region, School
        from .selectors import REFERENCE_VERSION

        raised_by_changes_of(REFERENCE_VERSION, School, EthnicGroup, EducationLevel, Region, Bank)
