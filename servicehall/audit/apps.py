from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "servicehall.audit"
    label = "audit"
