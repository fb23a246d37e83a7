"""django.contrib.admin's app, with the hall's audited site (admin_site.HallAdminSite) as the
default site. Kept apart from admin_site so that loading the app imports no model."""

from django.contrib.admin.apps import AdminConfig


class HallAdminConfig(AdminConfig):
    default_site = "servicehall.audit.admin_site.HallAdminSite"
