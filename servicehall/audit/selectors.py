"""The auditor's reads of the trail: filters, and the names to show with each entry. A case is
found by its record number through the look-up the app owning cases registered (audit/cases.py),
so that this low app knows no higher one."""

import datetime

from django.db.models import Q
from django.utils import timezone

from .cases import case_lookup
from .labels import codes_in_group
from .models import AuditEntry


def _day_start(day: datetime.date):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def entry_search(*, person="", case="", action="", date_from=None, date_to=None):
    entries = AuditEntry.objects.select_related("actor", "organisation")
    if person:
        entries = entries.filter(Q(actor__username=person) | Q(actor__name__contains=person))
    if case:
        lookup = case_lookup()
        if lookup is None:
            return entries.none()
        ids = [str(pk) for pk in lookup.ids_for_number(case)]
        entries = entries.filter(target_type=lookup.target_type, target_id__in=ids)
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


def record_numbers(entries) -> dict[int, str]:
    """Entry pk -> the record number of the case it concerns, for the entries shown."""
    lookup = case_lookup()
    if lookup is None:
        return {}
    cases = [e for e in entries if e.target_type == lookup.target_type and (e.target_id or "").isdigit()]
    if not cases:
        return {}
    numbers = lookup.numbers_for_ids({int(e.target_id) for e in cases})
    return {e.pk: numbers[int(e.target_id)] for e in cases if int(e.target_id) in numbers}
