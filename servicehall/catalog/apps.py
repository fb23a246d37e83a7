from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "servicehall.catalog"
    label = "catalog"
    verbose_name = _("服务清单")

    def ready(self):
        from servicehall.accounts.backends import request_user_load_add
        from servicehall.core.versions import raised_by_changes_of

        from .models import Audience, Category, GuideMaterial, GuideQuestion, Service, ServiceGroup
        from .selectors import CATALOG_VERSION, with_favourite_codes

        request_user_load_add(with_favourite_codes)  # the favourite buttons cost no query

        raised_by_changes_of(
            CATALOG_VERSION, Audience, Category, GuideMaterial, GuideQuestion, Service, ServiceGroup
        )
