from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "servicehall.portal"
    label = "portal"
