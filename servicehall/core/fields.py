"""Model fields that keep personal data encrypted in the database."""

from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    """Stores SM4-GCM ciphertext; Python code sees the plaintext. It cannot be filtered on:
    look rows up through a blind-index column (see core.crypto.blind_index)."""

    description = "Text encrypted at rest (SM4-GCM)"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value)
