"""The database's own refusal to change the ledger: UPDATE, DELETE and (on PostgreSQL) TRUNCATE of
the events, the Merkle tree's nodes and the checkpoints raise, on PostgreSQL and on SQLite,
whoever sends them (the ORM, a raw query, a psql session). SQLite has no TRUNCATE: its
`DELETE FROM` without a WHERE is refused by the DELETE trigger.

One change is allowed, once per event: the sequencer integrating a queued event (recorded without
a number, `services.ledger_integrate`) sets its number, previous hash, key id and keyed hash —
from NULL, with every other column as it was. After that the row never changes again.

An administrator can still drop the triggers; what they change then is found by the verifier
(keyed hashes, signed checkpoints outside the database). Used by the migrations that create
them; tests drop them briefly to tamper on purpose.
"""

TABLE = "consents_consentevent"
TABLES = (TABLE, "consents_merklenode", "consents_ledgercheckpoint")
MESSAGE = "consents_consentevent is append-only"
# The columns an integration never changes (every column but the four it fills in).
CONTENT = (
    "id",
    "subject_id",
    "purpose_id",
    "purpose_version_id",
    "action",
    "occurred_at",
    "recorded_at",
    "method",
    "recorded_by_id",
    "reference",
)


def _postgresql_create(tables) -> list[str]:
    statements = [
        # Truncating an empty table destroys nothing (a test database's flush does it).
        f"""CREATE OR REPLACE FUNCTION consents_ledger_append_only() RETURNS trigger AS $$
            DECLARE holds_rows boolean;
            BEGIN
                IF TG_OP = 'TRUNCATE' THEN
                    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', TG_TABLE_NAME)
                        INTO holds_rows;
                    IF NOT holds_rows THEN RETURN NULL; END IF;
                END IF;
                RAISE EXCEPTION '{MESSAGE}';
            END; $$ LANGUAGE plpgsql"""
    ]
    old = ", ".join(f"OLD.{column}" for column in CONTENT)
    new = ", ".join(f"NEW.{column}" for column in CONTENT)
    statements.append(
        f"""CREATE OR REPLACE FUNCTION consents_ledger_integrate_once() RETURNS trigger AS $$
            BEGIN
                IF OLD.sequence IS NULL AND NEW.sequence IS NOT NULL
                   AND ROW({new}) IS NOT DISTINCT FROM ROW({old}) THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION '{MESSAGE}';
            END; $$ LANGUAGE plpgsql"""
    )
    for table in tables:
        change = "DELETE" if table == TABLE else "UPDATE OR DELETE"
        if table == TABLE:
            statements.append(
                f"""CREATE TRIGGER consents_ledger_integrate_once BEFORE UPDATE ON {table}
                    FOR EACH ROW EXECUTE FUNCTION consents_ledger_integrate_once()"""
            )
        statements += [
            f"""CREATE TRIGGER consents_ledger_no_change BEFORE {change} ON {table}
                FOR EACH ROW EXECUTE FUNCTION consents_ledger_append_only()""",
            f"""CREATE TRIGGER consents_ledger_no_truncate BEFORE TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION consents_ledger_append_only()""",
        ]
    return statements


def _postgresql_drop(tables) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {name} ON {table}"
        for table in tables
        for name in (
            "consents_ledger_no_change",
            "consents_ledger_no_truncate",
            "consents_ledger_integrate_once",
        )
    ]


def _sqlite_create(tables) -> list[str]:
    unchanged = " AND ".join(f"NEW.{column} IS OLD.{column}" for column in CONTENT)
    integration = f"OLD.sequence IS NULL AND NEW.sequence IS NOT NULL AND {unchanged}"
    return [
        f"""CREATE TRIGGER {table}_no_{verb} BEFORE {verb.upper()} ON {table}
            {f"WHEN NOT ({integration})" if table == TABLE and verb == "update" else ""}
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"""
        for table in tables
        for verb in ("update", "delete")
    ]


def _sqlite_drop() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_{verb}"
        for table in TABLES
        for verb in ("update", "delete")
    ]


def _statements(vendor: str, create: bool, tables=TABLES) -> list[str]:
    if vendor == "postgresql":
        return _postgresql_create(tables) if create else _postgresql_drop(tables)
    if vendor == "sqlite":
        return _sqlite_create(tables) if create else _sqlite_drop()
    raise NotImplementedError(f"no ledger triggers for {vendor}")


def create(connection, tables=TABLES) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor, create=True, tables=tables):
            cursor.execute(statement)


def drop(connection) -> None:
    with connection.cursor() as cursor:
        # The triggers of the first migration had other names on SQLite.
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS consents_ledger_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS consents_ledger_no_delete")
            for statement in _sqlite_drop():
                cursor.execute(statement)
            return
        tables = [t for t in TABLES if t in connection.introspection.table_names(cursor)]
        for statement in _statements(connection.vendor, create=False, tables=tables):
            cursor.execute(statement)
