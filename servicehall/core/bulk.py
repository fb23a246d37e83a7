"""Many new rows at once: PostgreSQL's COPY where the database is PostgreSQL (the physical limit
issue 16 measures bulk work against), Django's bulk_create elsewhere.

    rows_insert(PaymentItem, ({"batch_id": 1, "record_number": "...", ...} for ...))

Each row is a dict by attname (`batch_id`, not `batch`). A field left out gets its default (and
`auto_now`/`auto_now_add` the time now); an automatic primary key is the database's. Values go
through each field's own preparation for the database (an EncryptedTextField encrypts), as
bulk_create would do, but without a model instance a row. A constraint the rows break raises
Django's IntegrityError, as bulk_create does. The rows are taken CHUNK at a time, one COPY each:
memory stays flat however many there are, and `rows` may itself read from the database (a
server-side cursor on the same connection cannot be read while a COPY is open). Returns how
many were written.

When the new rows are made from rows already in the database, none of them need pass through
Python at all:

    rows_insert_from(TimelineEvent, Application.objects.filter(...), {"application_id": F("pk"),
                     "action": "batch_approved", ...})

is one INSERT ... SELECT: a column is an expression over the source's rows or a constant (given
to the column's field to prepare, an EncryptedTextField's constant encrypted once for all)."""

from collections.abc import Iterable
from itertools import islice

from django.db import connection, connections, models
from django.db.models import QuerySet, Value
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone

CHUNK = 2000  # rows a COPY (or a bulk_create statement)


# Django's own field classes whose values (str, int, bool, an aware datetime, a key) psycopg
# writes as they are: preparing them a row at a time cost more than the rest of the line.
# Any other field (an EncryptedTextField, a JSONField, a subclass) is prepared by the field.
_WRITTEN_AS_THEY_ARE = {
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.PositiveIntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveSmallIntegerField,
    models.BooleanField,
    models.ForeignKey,
    models.DateTimeField,
    models.DateField,
}


def _columns(model) -> list:
    return [f for f in model._meta.concrete_fields if not isinstance(f, AutoFieldMixin)]


def _value(field, row: dict, now):
    if field.attname in row:
        return row[field.attname]
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    return field.get_default()


def _copy(model, fields, chunk: list[dict], now) -> None:
    database = connections[connection.alias]  # the connection itself, not its proxy
    table = database.ops.quote_name(model._meta.db_table)
    columns = ", ".join(database.ops.quote_name(f.column) for f in fields)
    prepared = [(f, type(f) not in _WRITTEN_AS_THEY_ARE) for f in fields]
    with database.cursor() as cursor, database.wrap_database_errors:
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in chunk:
                copy.write_row(
                    [
                        f.get_db_prep_save(_value(f, row, now), database) if prepare else _value(f, row, now)
                        for f, prepare in prepared
                    ]
                )


def rows_insert(model, rows: Iterable[dict]) -> int:
    fields, now = _columns(model), timezone.now()
    written, iterator = 0, iter(rows)
    while chunk := list(islice(iterator, CHUNK)):
        if connection.vendor == "postgresql":
            _copy(model, fields, chunk, now)
        else:
            model.objects.bulk_create([model(**row) for row in chunk], batch_size=CHUNK)
        written += len(chunk)
    return written


def rows_insert_from(model, source: QuerySet, columns: dict) -> int:
    """One new `model` row per row of `source`, in one INSERT ... SELECT; `columns` by attname,
    each an expression over `source`'s model or a constant; a column left out gets its default
    (and `auto_now`/`auto_now_add` the time now). Returns how many were written."""
    fields, now = _columns(model), timezone.now()
    unknown = set(columns) - {f.attname for f in fields}
    if unknown:
        raise ValueError(f"{model.__name__} has no column {', '.join(sorted(unknown))}")
    selected = {}
    for n, field in enumerate(fields):
        value = columns[field.attname] if field.attname in columns else _value(field, {}, now)
        if not hasattr(value, "resolve_expression"):
            value = Value(value, output_field=field)
        selected[f"column_{n}"] = value  # its own name: a column may share one of source's fields
    query = source.order_by().values(**selected).query
    sql, params = query.get_compiler(source.db).as_sql()
    database = connections[source.db]
    table = database.ops.quote_name(model._meta.db_table)
    names = ", ".join(database.ops.quote_name(f.column) for f in fields)
    with database.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({names}) {sql}", params)
        return cursor.rowcount


def statistics_refresh(model) -> None:
    """After many rows went in at once, let PostgreSQL's planner know (ANALYZE samples the table;
    autovacuum would get to it only later). Until then it plans for the table as it was: a
    re-check run right after a million-row registry import scanned the whole new batch by its
    batch index for every chunk of 1,000 people, 82 ms instead of 13. Elsewhere nothing to do."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def rows_update(model, columns: list[str], rows: list[tuple]) -> None:
    """Set `columns` (attnames) of many existing rows, each row (pk, value, ...), the values as
    Python has them: each goes through its field's preparation for the database (an
    EncryptedTextField encrypts, a datetime is adapted as the ORM would). PostgreSQL: the rows
    are COPYed into a temporary table and go in with one UPDATE ... FROM (call it inside a
    transaction); elsewhere one UPDATE a row, through executemany. bulk_update's CASE WHEN
    statements took 50 s for 40,000 rows of ten columns on SQLite; this, a second or two."""
    if not rows:
        return
    database = connections[connection.alias]
    fields = [model._meta.get_field(c) for c in columns]
    rows = [(row[0], *(f.get_db_prep_save(v, database) for f, v in zip(fields, row[1:], strict=True)))
            for row in rows]
    quote = database.ops.quote_name
    table = quote(model._meta.db_table)
    pk = quote(model._meta.pk.column)
    names = [quote(model._meta.get_field(c).column) for c in columns]
    with database.cursor() as cursor, database.wrap_database_errors:
        if database.vendor != "postgresql":
            assignments = ", ".join(f"{name} = %s" for name in names)
            cursor.executemany(f"UPDATE {table} SET {assignments} WHERE {pk} = %s",  # noqa: S608
                               [(*row[1:], row[0]) for row in rows])
            return
        cursor.execute(f"CREATE TEMPORARY TABLE updated_rows ON COMMIT DROP AS "  # noqa: S608
                       f"SELECT {pk}, {', '.join(names)} FROM {table} WITH NO DATA")
        with cursor.cursor.copy(f"COPY updated_rows ({pk}, {', '.join(names)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        assignments = ", ".join(f"{name} = updated_rows.{name}" for name in names)
        cursor.execute(f"UPDATE {table} SET {assignments} FROM updated_rows "  # noqa: S608
                       f"WHERE {table}.{pk} = updated_rows.{pk}")
        cursor.execute("DROP TABLE updated_rows")
