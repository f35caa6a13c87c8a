"""The database's own refusal to change the ledger: UPDATE and DELETE on consents_consentevent
raise, on PostgreSQL and on SQLite, whoever sends them (the ORM, a raw query, a psql session).

Used by the migration that creates them; tests drop them briefly to tamper on purpose.
"""

TABLE = "consents_consentevent"
MESSAGE = "consents_consentevent is append-only"

POSTGRESQL_CREATE = [
    f"""CREATE OR REPLACE FUNCTION consents_ledger_append_only() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER consents_ledger_no_change BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION consents_ledger_append_only()""",
]
POSTGRESQL_DROP = [f"DROP TRIGGER IF EXISTS consents_ledger_no_change ON {TABLE}"]

SQLITE_CREATE = [
    f"""CREATE TRIGGER consents_ledger_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER consents_ledger_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS consents_ledger_no_update",
    "DROP TRIGGER IF EXISTS consents_ledger_no_delete",
]


def _statements(vendor: str, create: bool) -> list[str]:
    if vendor == "postgresql":
        return POSTGRESQL_CREATE if create else POSTGRESQL_DROP
    if vendor == "sqlite":
        return SQLITE_CREATE if create else SQLITE_DROP
    raise NotImplementedError(f"no ledger triggers for {vendor}")


def create(connection) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor, create=True):
            cursor.execute(statement)


def drop(connection) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor, create=False):
            cursor.execute(statement)
