from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "servicehall.evaluation"
    label = "evaluation"
    verbose_name = _("好差评")

    def ready(self):
        from servicehall.subsidy.panels import case_panel_register

        from .views import case_panel

        case_panel_register(case_panel)
