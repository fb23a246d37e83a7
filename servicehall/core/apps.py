from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "servicehall.core"
    label = "core"
    verbose_name = _("公共功能")

    def ready(self):
        from django.core import signals

        from . import checks, versions  # noqa: F401 - checks registers the shared rate-limit cache check

        # Each request reads the data versions once (core.versions).
        signals.request_started.connect(versions.request_started, dispatch_uid="versions-started")
        signals.request_finished.connect(versions.request_finished, dispatch_uid="versions-finished")
        from . import request_ids

        # A task logs with the id of the request that queued it.
        request_ids.connect()
