"""Writing many results without building a model object for each: a re-check writes hundreds of
thousands, and Django's per-object work in bulk_create (an instance, then every field prepared)
was most of the time (bench/verification_scale.py). Values are adapted by the database's own
operations, as the ORM does. New rows only (a registry import): core.bulk.rows_insert."""

from django.db import connection


def _names(model, columns) -> tuple[str, str]:
    quote = connection.ops.quote_name
    return quote(model._meta.db_table), ", ".join(quote(model._meta.get_field(c).column) for c in columns)


def upsert(model, columns: list[str], rows: list[tuple], *, conflict: list[str], update: list[str]) -> None:
    """INSERT … ON CONFLICT (conflict) DO UPDATE SET each of `update` (SQLite ≥ 3.24, PostgreSQL)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table, names = _names(model, columns)
    placeholders = ", ".join(["%s"] * len(columns))
    target = ", ".join(quote(model._meta.get_field(c).column) for c in conflict)
    assignments = ", ".join(
        f"{quote(model._meta.get_field(c).column)} = EXCLUDED.{quote(model._meta.get_field(c).column)}"
        for c in update
    )
    sql = (
        f"INSERT INTO {table} ({names}) VALUES ({placeholders}) "  # noqa: S608
        f"ON CONFLICT ({target}) DO UPDATE SET {assignments}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def day(value):
    return connection.ops.adapt_datefield_value(value)


def moment(value):
    return connection.ops.adapt_datetimefield_value(value)
