"""django-axes copies the failed request's query string and form into AccessAttempt.get_data and
post_data. Its AXES_SENSITIVE_PARAMETERS masks only the fields it names, so a field it does not
know (or a ?next= carrying a number) would still be kept in clear. The hall needs neither copy
to lock an account, so both are emptied before every save: nothing typed is stored."""

from axes.models import AccessAttempt
from django.db.models.signals import pre_save
from django.dispatch import receiver


@receiver(pre_save, sender=AccessAttempt, dispatch_uid="accounts.axes_attempt_without_typed_data")
def drop_typed_data(sender, instance, **kwargs):
    instance.get_data = ""
    instance.post_data = ""
