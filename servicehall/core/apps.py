from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "servicehall.core"
    label = "core"
    verbose_name = "Core"
