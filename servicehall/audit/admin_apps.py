"""django.contrib.admin's app, with the hall's audited site (admin_site.HallAdminSite) as the
default site. Kept apart from admin_site so that loading the app imports no model."""

from django.contrib.admin.apps import AdminConfig
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext as _


def boolean_icon(value) -> str:
    """Django's yes/no icon, its text alternative in words (是/否/未知) instead of Python's
    True/False/None, which a screen reader reads out in English."""
    name = {True: "yes", False: "no", None: "unknown"}[value]
    words = {True: _("是"), False: _("否"), None: _("未知")}[value]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{name}.svg"), words)


class HallAdminConfig(AdminConfig):
    default_site = "servicehall.audit.admin_site.HallAdminSite"

    def ready(self):
        super().ready()
        # admin.utils imports _boolean_icon from admin_list each time it draws a boolean (list
        # columns, read-only fields), so replacing it there reaches every admin page.
        from django.contrib.admin.templatetags import admin_list

        admin_list._boolean_icon = boolean_icon
