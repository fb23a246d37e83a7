"""The applications' table keeps the indexes its queries use and no other (each is written on every
move of a state): the one-claim-per-person index and the queue indexes, which migrations make
outside the model's own declarations and a table rebuild could lose, are there on each database."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def _indexes(table: str) -> dict[str, dict]:
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, table)


def test_the_applications_have_the_indexes_their_queries_use_and_no_other():
    found = _indexes("subsidy_application")
    named = {name for name, info in found.items() if info["index"] or info["unique"]}
    for name in (
        "subsidy_one_claim_per_person",
        "subsidy_queue_school_newest",
        "subsidy_queue_state_newest",
        "subsidy_application_id_number",
    ):
        assert name in named, name
    one_column = {
        tuple(info["columns"]) for name, info in found.items() if info["index"] and not info["unique"]
    }
    for column in ("state", "state_changed_at", "school_id", "bank_id", "hukou_region_id", "category_index"):
        assert (column,) not in one_column, column
    if connection.vendor == "postgresql":
        assert not [name for name in named if name.endswith("_like")]
    assert len(named) <= 12, sorted(named)


def test_the_lines_and_the_audit_trail_have_no_index_no_query_uses():
    lines = _indexes("payments_paymentitem")
    audit = _indexes("audit_auditentry")
    for found, column in (
        (lines, "status"),
        (lines, "account_index"),
        (lines, "batch_id"),
        (audit, "target_id"),
    ):
        assert not [n for n, info in found.items() if info["index"] and info["columns"] == [column]], column
    assert {"payments_one_paid_item_per_application", "payments_application_once_per_batch"} <= set(lines)
    assert {"audit_target_at", "audit_action"} <= set(audit)
