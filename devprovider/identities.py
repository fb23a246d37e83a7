"""The people the provider knows: a Django user to log in with, and what the provider vouches
for about them (their Identity)."""

import uuid

from django.contrib.auth.models import User
from django.db import transaction

from .models import Identity


@transaction.atomic
def identity_save(*, username: str, password: str, name: str, id_number: str = "",
                  mobile: str = "") -> Identity:
    """Create or update a person. `sub` is made once, opaque, and kept across updates."""
    user, _created = User.objects.get_or_create(username=username)
    if not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    identity = Identity.objects.filter(user=user).first() or Identity(user=user, sub=uuid.uuid4().hex)
    identity.name, identity.id_number, identity.mobile = name, id_number or "", mobile or ""
    identity.save()
    return identity
