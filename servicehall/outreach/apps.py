from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "servicehall.outreach"
    verbose_name = _("政策找人")

    def ready(self):
        from servicehall.accounts.backends import request_user_load_add

        from .selectors import with_waiting_invitation

        request_user_load_add(with_waiting_invitation)  # 个人中心's invitation costs no query
