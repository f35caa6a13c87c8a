"""The ledger's bulk SQL on PostgreSQL: inserts as `INSERT … SELECT * FROM unnest(…)`, one array
parameter per column, not one parameter per value; and `AnyOf`, an `IN` of many values as one
array parameter.

Django's `bulk_create` writes a statement with a placeholder for every value (9,000 of them for
1,000 events). psycopg parses such a statement anew on every call (it caches only short ones),
and that parsing, with Django's per-value compiling, was most of the batch path's time under the
chain's lock. With one array per column the statement is short and the same each time, and
psycopg dumps each array in one go. Elsewhere (SQLite) `bulk_create` does the work.
"""

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models.lookups import In

from consents.models import ConsentState

ROWS = 5000  # rows per statement: arrays have no parameter limit; this bounds one statement


def _arrays(fields, rows) -> tuple[str, list]:
    """`unnest(%s::type[], …)` for the fields, and its parameters: a list per column."""
    casts = ", ".join(f"%s::{field.db_type(connection)}[]" for field in fields)
    return f"unnest({casts})", [list(column) for column in zip(*rows, strict=True)]


def insert(objs: list) -> None:
    """Insert the model instances (all of one model), setting their ids from RETURNING — in the
    order given, as Django's own `bulk_create` relies on. The values are prepared as the ORM's
    insert prepares them (`get_db_prep_save`)."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        type(objs[0]).objects.bulk_create(objs, batch_size=ROWS)
        return
    meta = type(objs[0])._meta
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself, not the per-thread proxy
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table, pk = connection.ops.quote_name(meta.db_table), connection.ops.quote_name(meta.pk.column)
    with connection.cursor() as cursor:
        for start in range(0, len(objs), ROWS):
            chunk = objs[start : start + ROWS]
            rows = [
                [f.get_db_prep_save(f.pre_save(obj, add=True), db) for f in fields] for obj in chunk
            ]
            source, params = _arrays(fields, rows)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT * FROM {source} RETURNING {pk}", params
            )
            for obj, (pk_value,) in zip(chunk, cursor.fetchall(), strict=True):
                obj.pk = pk_value
                obj._state.adding, obj._state.db = False, connection.alias


class AnyOf(In):
    """`field IN (…)`, as `filter(AnyOf(F("field"), values))`; on PostgreSQL `field = ANY(%s)`
    with the values as one array: a short statement, the same for every call, where `IN` has a
    placeholder per value (psycopg spent a third of a 5,000-address lookup splitting it)."""

    def as_postgresql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*params, list(self.rhs))


# The state follows the event that happened last, not the one recorded last: an older event (an
# imported list from before an opt-out, say) joins the ledger but does not move the state back.
# ON CONFLICT … DO UPDATE … WHERE, the same on PostgreSQL and SQLite; the ORM's upsert has no WHERE.
# {rows} is VALUES (…), … or SELECT * FROM unnest(…); each (subject, purpose) at most once.
STATE_UPSERT = """
    INSERT INTO consents_consentstate (subject_id, purpose_id, status, since, last_event_id)
    {rows}
    ON CONFLICT (subject_id, purpose_id) DO UPDATE SET
        status = excluded.status, since = excluded.since, last_event_id = excluded.last_event_id
    WHERE consents_consentstate.since <= excluded.since
"""
STATE_FIELDS = [
    ConsentState._meta.get_field(name)
    for name in ("subject", "purpose", "status", "since", "last_event")
]


def states_upsert(rows: list[tuple]) -> None:
    """(subject id, purpose id, status, since, event id) rows upserted, a few statements whatever
    the number: arrays on PostgreSQL, VALUES in chunks under SQLite's 999 parameters elsewhere."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for start in range(0, len(rows), ROWS):
                source, params = _arrays(STATE_FIELDS, rows[start : start + ROWS])
                cursor.execute(STATE_UPSERT.format(rows=f"SELECT * FROM {source}"), params)
            return
        adapt = connection.ops.adapt_datetimefield_value
        for start in range(0, len(rows), 150):  # 5 parameters a row
            chunk = rows[start : start + 150]
            cursor.execute(
                STATE_UPSERT.format(
                    rows="VALUES " + ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
                ),
                [
                    value
                    for subject, purpose, status, since, event in chunk
                    for value in (subject, purpose, status, adapt(since), event)
                ],
            )
