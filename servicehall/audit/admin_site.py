"""The hall's admin site: every ModelAdmin registered with it, by any app, is audited
(admin_mixins.AuditedModelAdmin is mixed in at registration). Apps keep registering with
`admin.site` as usual and need not import audit, so a lower app (reference) stays below it.
settings.INSTALLED_APPS names admin_apps.HallAdminConfig in place of "django.contrib.admin"."""

from django.contrib import admin

from .admin_mixins import AuditedModelAdmin


class HallAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedModelAdmin):
            admin_class = type(
                admin_class.__name__,
                (AuditedModelAdmin, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        return super().register(model_or_iterable, admin_class, **options)
