"""How the audit trail finds a case by its number, without knowing which app keeps cases.

The trail sits below every app that writes to it, so it may not import them. The app that owns
cases (subsidy) registers, when it is ready, the target type of its case rows and two look-ups:
record number -> primary keys, and primary keys -> record numbers. With none registered, search
by case number finds nothing and entries show no case number."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class CaseLookup:
    target_type: str  # AuditEntry.target_type of a case, "app_label.model"
    ids_for_number: Callable[[str], list[int]]
    numbers_for_ids: Callable[[Iterable[int]], dict[int, str]]


_lookup: CaseLookup | None = None


def register_case_lookup(lookup: CaseLookup) -> None:
    global _lookup
    _lookup = lookup


def case_lookup() -> CaseLookup | None:
    return _lookup
