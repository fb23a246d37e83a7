"""The auditor's reads of the trail: filters, and the names to show with each entry. A case is
found by its record number through the subsidy's Application, looked up by name (apps) so that
this low app does not import a higher one."""

import datetime

from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from .labels import codes_in_group
from .models import AuditEntry

APPLICATION = "subsidy.application"


def _day_start(day: datetime.date):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def entry_search(*, person="", case="", action="", date_from=None, date_to=None):
    entries = AuditEntry.objects.select_related("actor", "organisation")
    if person:
        entries = entries.filter(Q(actor__username=person) | Q(actor__name__contains=person))
    if case:
        application_ids = (
            apps.get_model("subsidy", "Application")
            .objects.filter(record_number=case)
            .values_list("pk", flat=True)
        )
        entries = entries.filter(target_type=APPLICATION, target_id__in=[str(pk) for pk in application_ids])
    if action.startswith("group:"):
        known = AuditEntry.objects.order_by().values_list("action", flat=True).distinct()
        entries = entries.filter(action__in=codes_in_group(action[6:], known))
    elif action:
        entries = entries.filter(action=action)
    if date_from:
        entries = entries.filter(at__gte=_day_start(date_from))
    if date_to:
        entries = entries.filter(at__lt=_day_start(date_to + datetime.timedelta(days=1)))
    return entries.order_by("-at", "-pk")


def record_numbers(entries) -> dict[str, str]:
    """Application pk (as text) -> record number, for the entries shown."""
    ids = {entry.target_id for entry in entries if entry.target_type == APPLICATION and entry.target_id}
    if not ids:
        return {}
    rows = apps.get_model("subsidy", "Application").objects.filter(
        pk__in=[int(i) for i in ids if i.isdigit()]
    )
    return {str(pk): number for pk, number in rows.values_list("pk", "record_number")}
