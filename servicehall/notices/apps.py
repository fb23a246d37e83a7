from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "servicehall.notices"
    label = "notices"
    verbose_name = _("公示公告")

    def ready(self):
        from servicehall.core.versions import raised_by_changes_of

        from .models import Notice
        from .selectors import NOTICES_VERSION

        raised_by_changes_of(NOTICES_VERSION, Notice)
