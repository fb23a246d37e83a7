"""Configuration changed in the admin (years, windows, categories and materials, schools,
organisations, banks, working days, the catalog, notices, outlets) is audited with the values
before and after, the same way services audit their own writes. Admin classes that edit data
inherit AuditedModelAdmin; their inlines are covered through save_formset."""

import datetime
from decimal import Decimal

from django.db import models, transaction

from servicehall.core.admin import HallModelAdmin
from servicehall.core.fields import EncryptedTextField
from servicehall.core.http import client_ip

from .services import audit_record

HIDDEN = "（加密字段，不显示）"


def _plain(value):
    """A JSON-safe, personal-data-free rendering of a form value."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal | datetime.date | datetime.datetime | datetime.time):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, list | tuple | set | models.QuerySet):
        return sorted(_plain(item) for item in value)
    return str(value)


def _is_secret(model, name: str) -> bool:
    try:
        return isinstance(model._meta.get_field(name), EncryptedTextField)
    except Exception:  # a form-only field
        return False


def _changes(form, model) -> dict:
    changes = {}
    for name in form.changed_data:
        if _is_secret(model, name):
            changes[name] = {"before": HIDDEN, "after": HIDDEN}
        else:
            changes[name] = {
                "before": _plain(form.initial.get(name)),
                "after": _plain(form.cleaned_data.get(name)),
            }
    return changes


def _values(obj) -> dict:
    return {
        field.name: HIDDEN if isinstance(field, EncryptedTextField) else _plain(getattr(obj, field.attname))
        for field in obj._meta.concrete_fields
    }


def _record(request, action: str, obj, detail: dict) -> None:
    audit_record(
        actor=request.user,
        action=action,
        target=obj,
        client_address=client_ip(request),
        detail={"object": str(obj)[:200], **detail},
    )


class AuditedModelAdmin(HallModelAdmin):
    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if change:
                if form.changed_data:
                    _record(request, "config.change", obj, {"changes": _changes(form, obj)})
            else:
                _record(request, "config.add", obj, {"values": _values(obj)})

    def save_formset(self, request, form, formset, change):
        with transaction.atomic():
            doomed = [
                (inline.instance, inline.instance.pk, _values(inline.instance))
                for inline in formset.deleted_forms
                if inline.instance.pk is not None
            ]
            changed = [
                (inline, inline.instance)
                for inline in formset.initial_forms
                if inline.changed_data and inline not in formset.deleted_forms
            ]
            super().save_formset(request, form, formset, change)
            for obj in formset.new_objects:
                _record(request, "config.add", obj, {"values": _values(obj)})
            for inline, obj in changed:
                _record(request, "config.change", obj, {"changes": _changes(inline, obj)})
            for obj, pk, values in doomed:
                obj.pk = pk  # deleting cleared it; the entry names what was deleted
                _record(request, "config.delete", obj, {"values": values})

    def delete_model(self, request, obj):
        with transaction.atomic():
            _record(request, "config.delete", obj, {"values": _values(obj)})
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                _record(request, "config.delete", obj, {"values": _values(obj)})
            super().delete_queryset(request, queryset)
