from django.conf import settings
from django.db import models


class Identity(models.Model):
    """A person at the provider: what it vouches for. `sub` is opaque and stable."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identity")
    sub = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=30)
    id_number = models.CharField(max_length=18, blank=True)
    mobile = models.CharField(max_length=11, blank=True)

    def __str__(self) -> str:
        return self.name


class Fault(models.Model):
    """The one armed fault (test-only): applied to the next token response, then disarmed."""

    mode = models.CharField(max_length=16)
    seconds = models.FloatField(default=10)

    def __str__(self) -> str:
        return self.mode
