"""Writing many results without building a model object for each: a re-check writes hundreds of
thousands, and Django's per-object work in bulk_create (an instance, then every field prepared)
was most of the time (bench/verification_scale.py). Values are adapted by the database's own
operations, as the ORM does. New rows only (a registry import): core.bulk.rows_insert."""

from django.db import connection, connections


def _names(model, columns) -> tuple[str, str]:
    quote = connection.ops.quote_name
    return quote(model._meta.db_table), ", ".join(quote(model._meta.get_field(c).column) for c in columns)


def upsert(model, columns: list[str], rows: list[tuple], *, conflict: list[str], update: list[str]) -> None:
    """INSERT … ON CONFLICT (conflict) DO UPDATE SET each of `update` (SQLite ≥ 3.24, PostgreSQL).
    On PostgreSQL the rows are first COPYed into a temporary table of those columns, dropped at
    the commit or at the end, whichever comes first (call it inside a transaction), and go in
    with one INSERT … SELECT instead of a statement a row (a re-check of 100,000 applications
    spent some 57 s in the database that way, 13 s this way). A conflict key appears at most
    once in `rows`."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table, names = _names(model, columns)
    target = ", ".join(quote(model._meta.get_field(c).column) for c in conflict)
    assignments = ", ".join(
        f"{quote(model._meta.get_field(c).column)} = EXCLUDED.{quote(model._meta.get_field(c).column)}"
        for c in update
    )
    on_conflict = f"ON CONFLICT ({target}) DO UPDATE SET {assignments}"
    if connection.vendor == "postgresql":
        _upsert_copied(table, names, rows, on_conflict)
        return
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders}) {on_conflict}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _upsert_copied(table: str, names: str, rows: list[tuple], on_conflict: str) -> None:
    database = connections[connection.alias]  # the connection itself, for psycopg's COPY
    with database.cursor() as cursor, database.wrap_database_errors:
        cursor.execute(
            f"CREATE TEMPORARY TABLE upserted_rows ON COMMIT DROP AS "  # noqa: S608
            f"SELECT {names} FROM {table} WITH NO DATA"
        )
        with cursor.cursor.copy(f"COPY upserted_rows ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM upserted_rows {on_conflict}")  # noqa: S608
        cursor.execute("DROP TABLE upserted_rows")


def day(value):
    return connection.ops.adapt_datefield_value(value)


def moment(value):
    return connection.ops.adapt_datetimefield_value(value)
