from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "servicehall.reference"
    label = "reference"

    def ready(self):
        from servicehall.core.versions import raised_by_changes_of

        from .models import Bank, EducationLevel, EthnicGroup, Region, School
        from .selectors import REFERENCE_VERSION

        raised_by_changes_of(REFERENCE_VERSION, School, EthnicGroup, EducationLevel, Region, Bank)
