"""The SQL engine of a connector, on SQLAlchemy Core (so PostgreSQL, MySQL/MariaDB, SQL Server and
SQLite all work): find one person's rows across the mapping's foreign keys, export them, erase them
in one transaction, verify, rectify and restrict. No Django here: a database URL and a `Mapping` in,
rows and reports out.

No reflection: the statements name only the mapping's tables and columns, so a lookup costs one
query per table (per 500 keys), whatever the size of the database.
"""

import base64
import datetime as dt
import decimal
from collections.abc import Iterator
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from connectors.mapping import DELETE_ROW, FIXED, KEEP, SET_NULL, UPDATE, Mapping, Table

CHUNK = 500


class EraseIncomplete(RuntimeError):
    """A lookup inside the erasing transaction still found erasable rows: it was rolled back."""


@dataclass
class Found:
    """One person's rows in one system, table by table (parents before children)."""

    rows: dict[str, list[dict]] = field(default_factory=dict)

    def count(self) -> int:
        return sum(len(r) for r in self.rows.values())

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.rows.items()}


@dataclass
class Erased:
    deleted: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    kept: list[dict] = field(default_factory=list)  # {table, rows, reason, until}

    def as_report(self) -> dict:
        return {"deleted": self.deleted, "updated": self.updated, "kept": self.kept}


def engine_for(url: str, *, timeout: int = 30) -> Engine:
    """An engine whose statements give up after `timeout` seconds, on each kind of database
    (a lock held elsewhere makes the erasure fail and roll back, never hang)."""
    backend = sa.engine.make_url(url).get_backend_name()
    args: dict = {}
    if backend == "sqlite":
        args = {"timeout": timeout}
    elif backend == "postgresql":
        args = {"connect_timeout": timeout, "options": f"-c statement_timeout={timeout * 1000}"}
    elif backend in ("mysql", "mariadb"):
        args = {
            "connect_timeout": timeout,
            "read_timeout": timeout,
            "write_timeout": timeout,
            "init_command": f"SET SESSION innodb_lock_wait_timeout={max(1, timeout)}",
        }
    return sa.create_engine(url, connect_args=args, pool_pre_ping=True, poolclass=sa.NullPool)


def _chunks(values: list) -> list[list]:
    return [values[i : i + CHUNK] for i in range(0, len(values), CHUNK)]


def _select(conn: Connection, table: Table, column: str, values: list) -> list[dict]:
    target = sa.table(table.name)
    rows = []
    for chunk in _chunks(values):
        query = sa.select(sa.literal_column("*")).select_from(target)
        query = query.where(sa.column(column).in_(chunk)).order_by(sa.column(table.key))
        rows += [dict(row._mapping) for row in conn.execute(query)]
    return rows


def lookup(conn: Connection, mapping: Mapping, email: str) -> Found:
    """The person's rows: the identity table's rows whose identity column holds `email`, then each
    linked table's rows whose link points at a row already found — exactly theirs, nobody else's."""
    found = Found()
    for table in mapping.tables:
        if table.parent is None:
            target = sa.table(table.name)
            column = sa.column(mapping.identity_column)
            match = (
                sa.func.lower(column) == email.lower()
                if mapping.match == "lower"
                else (column == email)
            )
            query = sa.select(sa.literal_column("*")).select_from(target).where(match)
            found.rows[table.name] = [dict(r._mapping) for r in conn.execute(query)]
            continue
        parents = found.rows.get(table.parent, [])
        values = sorted({r[table.parent_column] for r in parents} - {None}, key=str)
        found.rows[table.name] = _select(conn, table, table.column, values) if values else []
    return found


def subjects(engine: Engine, mapping: Mapping, *, chunk: int = 1000) -> Iterator[tuple[str, str]]:
    """Everyone the system holds: (identifying address, name) per row of the identity table, in the
    order of its key, `chunk` rows a query (keyset pagination: each query seeks past the last key
    seen, so memory stays one chunk and no query scans from the start). The name is the mapping's
    `identity.name` columns joined by a space ("" when the mapping names none); a row without an
    address is skipped. Addresses come as stored: the caller normalises and deduplicates."""
    table = mapping.table(mapping.identity_table)
    columns = [table.key, mapping.identity_column, *mapping.name_columns]
    target = sa.table(table.name, *(sa.column(c) for c in dict.fromkeys(columns)))
    key, address = target.c[table.key], target.c[mapping.identity_column]
    last = None
    while True:
        query = sa.select(*target.c).where(address.is_not(None)).order_by(key).limit(chunk)
        if last is not None:
            query = query.where(key > last)
        # A connection per chunk: no transaction stays open on the other system while the
        # caller works through the rows (a notice to 50,000 people takes a while).
        with engine.connect() as conn:
            rows = [row._mapping for row in conn.execute(query)]
        for row in rows:
            if not str(row[mapping.identity_column]).strip():
                continue
            name = " ".join(str(row[c]).strip() for c in mapping.name_columns if row[c])
            yield str(row[mapping.identity_column]), name
        if len(rows) < chunk:
            return
        last = rows[-1][table.key]


def plain(value):
    """A value as JSON and CSV can hold it."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    return value


def export(engine: Engine, mapping: Mapping, email: str) -> dict[str, list[dict]]:
    """The person's rows as plain values, table by table (only tables that hold something)."""
    with engine.connect() as conn:
        found = lookup(conn, mapping, email)
    return {
        name: [{k: plain(v) for k, v in row.items()} for row in rows]
        for name, rows in found.rows.items()
        if rows
    }


def _keys(rows: list[dict], table: Table) -> list:
    return [r[table.key] for r in rows]


def _kept_rows(table: Table, rows: list[dict], today: dt.date) -> tuple[list[dict], list[dict]]:
    """(rows still kept, rows whose keeping period has ended) of a kept table."""
    kept, ended = [], []
    for row in rows:
        until = table.kept_until(row)
        # A row without the date its period runs from is kept: the law decides, not a guess.
        (kept if until is None or until > today else ended).append(row)
    return kept, ended


def _update(conn: Connection, table: Table, keys: list) -> int:
    values = {}
    for rule in table.fields:
        if rule.action == SET_NULL:
            values[rule.column] = None
        elif rule.action == FIXED:
            values[rule.column] = rule.value
    if not values or not keys:
        return 0
    target = sa.table(table.name, *(sa.column(c) for c in values))
    count = 0
    for chunk in _chunks(keys):
        statement = sa.update(target).where(sa.column(table.key).in_(chunk)).values(values)
        count += conn.execute(statement).rowcount
    return count


def _delete(conn: Connection, table: Table, keys: list) -> int:
    count = 0
    for chunk in _chunks(keys):
        statement = sa.delete(sa.table(table.name)).where(sa.column(table.key).in_(chunk))
        count += conn.execute(statement).rowcount
    return count


def erasable(mapping: Mapping, found: Found, today: dt.date) -> int:
    """How many of the found rows an erasure would still change (kept rows within their period
    and rows already anonymised do not count)."""
    count = 0
    for table in mapping.tables:
        rows = found.rows.get(table.name, [])
        if table.erase == KEEP:
            count += len(_kept_rows(table, rows, today)[1])
        else:
            count += len(rows)
    return count


def plan(mapping: Mapping, found: Found, today: dt.date) -> dict[str, dict]:
    """What an erasure would do, per table: rows found and how many are deleted, changed, kept."""
    result = {}
    for table in mapping.tables:
        rows = found.rows.get(table.name, [])
        entry = {"rows": len(rows), "delete": 0, "update": 0, "keep": 0}
        if table.erase == DELETE_ROW:
            entry["delete"] = len(rows)
        elif table.erase == UPDATE:
            entry["update"] = len(rows)
        else:
            kept, ended = _kept_rows(table, rows, today)
            entry["keep"], entry["delete"] = len(kept), len(ended)
        result[table.name] = entry
    return result


def erase(engine: Engine, mapping: Mapping, email: str, *, today: dt.date) -> Erased:
    """Erase the person's rows in one transaction: children before parents, each table as its
    rule says; kept rows are reported with their reason and end date. Before committing, a lookup
    inside the same transaction must find nothing erasable, or everything is rolled back."""
    erased = Erased()
    with engine.begin() as conn:
        found = lookup(conn, mapping, email)
        for table in reversed(mapping.tables):
            rows = found.rows.get(table.name, [])
            if not rows:
                continue
            if table.erase == DELETE_ROW:
                erased.deleted[table.name] = _delete(conn, table, _keys(rows, table))
            elif table.erase == UPDATE:
                erased.updated[table.name] = _update(conn, table, _keys(rows, table))
            else:
                kept, ended = _kept_rows(table, rows, today)
                if ended:
                    erased.deleted[table.name] = _delete(conn, table, _keys(ended, table))
                if kept:
                    _update(conn, table, _keys(kept, table))
                    dates = [table.kept_until(r) for r in kept]
                    until = max((d for d in dates if d), default=None)
                    erased.kept.append(
                        {
                            "table": table.name,
                            "rows": len(kept),
                            "reason": table.keep_reason,
                            "until": until.isoformat() if until else None,
                        }
                    )
            for rule in table.fields:
                if rule.action == KEEP:
                    erased.kept.append(
                        {
                            "table": table.name,
                            "column": rule.column,
                            "rows": len(rows),
                            "reason": rule.reason,
                            "until": rule.until.isoformat() if rule.until else None,
                        }
                    )
        left = erasable(mapping, lookup(conn, mapping, email), today)
        if left:
            raise EraseIncomplete(f"{left} rows still erasable after the erasure; rolled back")
    return erased


def verify(engine: Engine, mapping: Mapping, email: str, *, today: dt.date) -> int:
    """A fresh lookup, on a new connection after the commit: how many rows are still erasable
    (0 when the erasure held)."""
    with engine.connect() as conn:
        return erasable(mapping, lookup(conn, mapping, email), today)


def rectify(engine: Engine, mapping: Mapping, email: str, changes: dict[str, str]) -> list[str]:
    """Write the corrections to the columns the mapping names for them (Art. 16 GDPR), in one
    transaction; returns the fields changed."""
    changed = set()
    with engine.begin() as conn:
        found = lookup(conn, mapping, email)
        for table in mapping.tables:
            values = {}
            for name, column in table.rectify.items():
                if name in changes:
                    values |= _columns(column, changes[name])
            keys = _keys(found.rows.get(table.name, []), table)
            if not values or not keys:
                continue
            target = sa.table(table.name, *(sa.column(c) for c in values))
            for chunk in _chunks(keys):
                conn.execute(
                    sa.update(target).where(sa.column(table.key).in_(chunk)).values(values)
                )
            changed |= {name for name in table.rectify if name in changes}
    return sorted(changed)


def _columns(column: str | list[str], value: str) -> dict[str, str]:
    """A correction's column values: a name kept in two columns ([first, last]) is split at its
    first space — "Jan van der Berg" is "Jan" and "van der Berg"."""
    if isinstance(column, str):
        return {column: value}
    first, _space, last = value.strip().partition(" ")
    return {column[0]: first, column[1]: last.strip()}


def restrict(engine: Engine, mapping: Mapping, email: str) -> int:
    """Mark the person's rows as restricted (Art. 18 GDPR) where the mapping says how."""
    count = 0
    with engine.begin() as conn:
        found = lookup(conn, mapping, email)
        for table in mapping.tables:
            keys = _keys(found.rows.get(table.name, []), table)
            if table.restrict and keys:
                column, value = table.restrict
                target = sa.table(table.name, sa.column(column))
                for chunk in _chunks(keys):
                    statement = sa.update(target).where(sa.column(table.key).in_(chunk))
                    count += conn.execute(statement.values({column: value})).rowcount
    return count


def indexed(engine: Engine, table: str, column: str) -> bool:
    """Whether `column` of `table` leads an index (or the primary key): a lookup by it is a seek."""
    inspector = sa.inspect(engine)
    if inspector.get_pk_constraint(table).get("constrained_columns", [])[:1] == [column]:
        return True
    indexes = inspector.get_indexes(table) + [
        {"column_names": u["column_names"]} for u in inspector.get_unique_constraints(table)
    ]
    return any((index.get("column_names") or [None])[0] == column for index in indexes)
