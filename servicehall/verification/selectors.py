"""Reads: the registries' current batches, a person's rows in them (by blind index), the
category check the application form asks while it is filled, and the stored results for the
reviewers (their page, their queue's filter, what stops an approval)."""

import re
import unicodedata
from collections import defaultdict
from datetime import date

from django.utils import timezone

from servicehall.accounts.permissions import may
from servicehall.core.actions import Action
from servicehall.core.crypto import blind_index

from . import rules
from .models import RegistryBatch, RegistryEntry


def name_index(name: str) -> str:
    """The name's blind index, as the registry rows store it: NFKC, no spaces, one kind of ·."""
    text = unicodedata.normalize("NFKC", name or "")
    text = re.sub(r"[·•・]", "·", re.sub(r"\s+", "", text))
    return blind_index(text, purpose="registry_name")


def id_number_index(id_number: str) -> str:
    return blind_index(id_number, purpose="id_number")


# --- Batches ----------------------------------------------------------------------------------


def batch_list_for(actor):
    if not may(actor, Action.OPERATE):
        return RegistryBatch.objects.none()
    return RegistryBatch.objects.select_related("imported_by")


def batch_get_for(actor, pk) -> RegistryBatch:
    """Raises RegistryBatch.DoesNotExist for anyone but an operator."""
    return batch_list_for(actor).get(pk=pk)


def current_batches() -> list[RegistryBatch]:
    """The batch each check reads: per registry (and province, for grant lists) the newest
    finished import."""
    return list(
        RegistryBatch.objects.filter(state=RegistryBatch.State.DONE, superseded_at__isnull=True)
        .order_by("registry", "province", "-imported_at")
        .only("pk", "registry", "source", "province", "imported_at")
    )


def lists_imported() -> bool:
    """Whether the hall holds any current registry list at all: without one, no cross-check can
    pass, and a pass rate of 0 % would blame the applicants for what is not imported."""
    return RegistryBatch.objects.filter(state=RegistryBatch.State.DONE, superseded_at__isnull=True).exists()


def batch_info(batch: RegistryBatch) -> rules.BatchInfo:
    return rules.BatchInfo(
        pk=batch.pk,
        registry=batch.registry,
        source=batch.source,
        province=batch.province,
        imported_on=timezone.localdate(batch.imported_at),
    )


class Registries:
    """The current batches, read once, and a person's rows in them looked up in bulk."""

    def __init__(self):
        self.batches: dict[int, rules.BatchInfo] = {b.pk: batch_info(b) for b in current_batches()}
        self.by_registry: dict[str, list[rules.BatchInfo]] = defaultdict(list)
        for info in self.batches.values():
            self.by_registry[info.registry].append(info)

    def entries_for(self, id_indexes, *, registries=None) -> dict[str, dict[str, list[rules.Entry]]]:
        """{id_number_index: {registry: [Entry, ...]}} for these people, one query."""
        wanted = [
            pk for pk, info in self.batches.items() if registries is None or info.registry in registries
        ]
        found: dict[str, dict[str, list[rules.Entry]]] = defaultdict(lambda: defaultdict(list))
        if not wanted or not id_indexes:
            return found
        rows = RegistryEntry.objects.filter(
            batch_id__in=wanted, id_number_index__in=list(id_indexes)
        ).values_list("id_number_index", "batch_id", "name_index", "valid_from", "valid_until", "grant_year")
        for index, batch_id, row_name, valid_from, valid_until, grant_year in rows:
            info = self.batches[batch_id]
            found[index][info.registry].append(
                rules.Entry(info, row_name, valid_from, valid_until, grant_year)
            )
        return found

    def evidence(self, found_for_person: dict[str, list[rules.Entry]] | None) -> rules.Evidence:
        return rules.Evidence(batches=self.by_registry, entries=found_for_person or {})


def category_check(*, id_number_index: str, name: str, category_code: str, on_date: date | None = None):
    """The category rule for one person, now (a single indexed look-up): what the application form
    shows while it is being filled, and what submission asks before it lets a document be left
    out. Returns a rules.Finding, or None when no category is chosen."""
    if not category_code or not id_number_index:
        return None
    registries = Registries()
    claim = rules.Claim(id_number_index, name_index(name), category_code, on_date or timezone.localdate())
    found = registries.entries_for([id_number_index], registries=rules.registries_for(category_code))
    return rules.category_in_registry(claim, registries.evidence(found.get(id_number_index)))


# --- Results ----------------------------------------------------------------------------------
