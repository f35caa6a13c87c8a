"""One connector, whatever its kind, as the five operations the rights need: look up (counts, for a
dry run and the erasure's confirm step), export, erase (then verify), rectify, restrict. Reads the
secret from the environment at the moment of the call; nothing here touches our own database."""

import datetime as dt
from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from connectors import contract, sql
from connectors.mapping import parse
from connectors.models import Connector, Kind


class ConnectorFailed(RuntimeError):
    """The system could not be reached or refused; the message says why, without the secret."""


def _sql(connector: Connector):
    url = connector.secret()
    if not url:
        raise ConnectorFailed(
            _("De omgevingsvariabele %(name)s is niet gezet.") % {"name": connector.secret_env}
        )
    return sql.engine_for(url, timeout=connector.timeout_seconds), parse(connector.mapping)


def _http(connector: Connector) -> contract.Client:
    if not connector.secret():
        raise ConnectorFailed(
            _("De omgevingsvariabele %(name)s is niet gezet.") % {"name": connector.secret_env}
        )
    return contract.Client(
        base_url=connector.base_url, key=connector.secret(), timeout=connector.timeout_seconds
    )


def _guard(call):
    """Run `call`, turning any failure of the other system into ConnectorFailed with a message
    that names the kind of error (never the connection URL: it may hold a password)."""
    try:
        return call()
    except ConnectorFailed:
        raise
    except Exception as error:  # noqa: BLE001 — every failure of a remote system is reported
        detail = str(getattr(error, "orig", None) or error).splitlines()[0][:300]
        raise ConnectorFailed(f"{type(error).__name__}: {detail}") from error


def dry_run(connector: Connector, email: str, *, today: dt.date | None = None) -> dict:
    """Per table: rows found and what an erasure would do with them. Changes nothing."""
    today = today or timezone.localdate()
    if connector.kind == Kind.SQL:

        def run():
            engine, mapping = _sql(connector)
            with engine.connect() as conn:
                found = sql.lookup(conn, mapping, email)
            return sql.plan(mapping, found, today)

        return _guard(run)
    if connector.kind == Kind.HTTP:
        return _guard(lambda: _http(connector).status(email)["tables"])
    return {}


def export(connector: Connector, email: str) -> dict[str, list[dict]]:
    if connector.kind == Kind.SQL:

        def run():
            engine, mapping = _sql(connector)
            return sql.export(engine, mapping, email)

        return _guard(run)
    if connector.kind == Kind.HTTP:
        return _guard(lambda: _http(connector).access(email)["tables"])
    return {}


def erase(connector: Connector, email: str, *, today: dt.date | None = None) -> dict:
    """Erase in the system, then verify with a fresh lookup; the report says what was deleted,
    changed and kept (with the reason) and how many erasable rows remain (0)."""
    today = today or timezone.localdate()
    if connector.kind == Kind.SQL:

        def run():
            engine, mapping = _sql(connector)
            report = sql.erase(engine, mapping, email, today=today).as_report()
            report["remaining"] = sql.verify(engine, mapping, email, today=today)
            return report

        report = _guard(run)
    elif connector.kind == Kind.HTTP:

        def run():
            client = _http(connector)
            report = client.erase(email)
            report["remaining"] = client.status(email).get("erasable", 0)
            return report

        report = _guard(run)
    else:
        return {}
    if report["remaining"]:
        raise ConnectorFailed(
            _("Na het wissen vindt een nieuwe zoekopdracht nog %(n)s te wissen records.")
            % {"n": report["remaining"]}
        )
    return report


def rectify(connector: Connector, email: str, changes: dict[str, str]) -> list[str]:
    if connector.kind == Kind.SQL:

        def run():
            engine, mapping = _sql(connector)
            return sql.rectify(engine, mapping, email, changes)

        return _guard(run)
    if connector.kind == Kind.HTTP:
        return _guard(lambda: _http(connector).rectify(email, changes).get("fields", []))
    return []


def restrict(connector: Connector, email: str) -> int:
    if connector.kind == Kind.SQL:

        def run():
            engine, mapping = _sql(connector)
            return sql.restrict(engine, mapping, email)

        return _guard(run)
    if connector.kind == Kind.HTTP:
        return _guard(lambda: _http(connector).restrict(email).get("records", 0))
    return 0


def subjects(connector: Connector, *, chunk: int = 1000) -> Iterator[tuple[str, str]]:
    """Everyone the system holds, as (address, name), a chunk at a time (bounded memory however
    large the system): the identity table of a SQL mapping, or the `subjects` pages of an HTTP
    system. A failure of the system midway raises ConnectorFailed."""
    if connector.kind == Kind.SQL:
        engine, mapping = _guard(lambda: _sql(connector))
        rows = sql.subjects(engine, mapping, chunk=chunk)
        while True:
            row = _guard(lambda: next(rows, None))
            if row is None:
                return
            yield row
    elif connector.kind == Kind.HTTP:
        client = _guard(lambda: _http(connector))
        after = None
        while True:
            page = _guard(lambda after=after: client.subjects(after, chunk))
            for person in page.get("subjects", []):
                yield str(person.get("email") or ""), str(person.get("name") or "")
            after = page.get("next")
            if not after:
                return


def identity_indexed(connector: Connector) -> bool | None:
    """Whether the identity column has an index (None: not a SQL connector, or not reachable)."""
    if connector.kind != Kind.SQL or not connector.secret_is_set():
        return None
    try:
        engine, mapping = _sql(connector)
        return sql.indexed(engine, mapping.identity_table, mapping.identity_column)
    except Exception:  # noqa: BLE001 — unreachable: the dry run reports that, not this check
        return None
