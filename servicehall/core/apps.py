from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "servicehall.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from . import checks  # noqa: F401 - registers the shared rate-limit cache check
