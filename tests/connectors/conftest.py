"""Real second databases for the connectors: a webshop on SQLite, PostgreSQL and MariaDB, each
created by the test that needs it and dropped afterwards (databases named po_i18_conn_*)."""

import datetime as dt
import os
import uuid

import pytest
import sqlalchemy as sa

from connectors import webshop
from connectors.mapping import parse

PG = os.environ.get("CONNECTORS_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432")
MARIADB = os.environ.get("CONNECTORS_TEST_MARIADB", "mysql+pymysql://root@127.0.0.1:3306")
BACKENDS = ("sqlite", "postgresql", "mariadb")
TODAY = dt.date(2026, 12, 1)

ANNA = webshop.Person("anna@voorbeeld.nl", "Annabel", "Zonneveld", "0611122233")
# Look-alikes that a sloppy lookup would also find.
LOOKALIKES = [
    webshop.Person("anna@voorbeeld.net", "Anne", "Anders", "0699999999"),
    webshop.Person("anna.z@voorbeeld.nl", "Xandra", "Anders", "0688888888"),
]


def _server(url: str):
    return sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)


@pytest.fixture(params=BACKENDS)
def webshop_url(request, tmp_path):
    """The URL of an empty database of the backend, dropped after the test."""
    name = f"po_i18_conn_{uuid.uuid4().hex[:10]}"
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / (name + '.sqlite3')}"
        return
    base = PG if request.param == "postgresql" else MARIADB
    server = _server(f"{base}/{'postgres' if request.param == 'postgresql' else 'mysql'}")
    try:
        conn = server.connect()
    except sa.exc.OperationalError as error:  # only an unreachable server skips; any other fails
        server.dispose()
        pytest.skip(f"{request.param} at {base} is unreachable: {error.orig}")
    with conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    try:
        yield f"{base}/{name}"
    finally:
        with server.connect() as conn:
            if request.param == "postgresql":
                conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            else:
                conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name}"))
        server.dispose()


@pytest.fixture
def shop(webshop_url):
    """A filled webshop: Anna, her look-alikes and 40 other customers."""
    engine = sa.create_engine(webshop_url, poolclass=sa.NullPool)
    webshop.create(engine)
    webshop.fill(engine, people=[ANNA, *LOOKALIKES], others=40, today=TODAY)
    yield engine
    engine.dispose()


@pytest.fixture
def mapping():
    return parse(webshop.MAPPING)


def text_columns_containing(engine, needles: list[str]) -> dict[str, list[dict]]:
    """Every row, in every table, any of whose text columns contains one of `needles`."""
    found = {}
    inspector = sa.inspect(engine)
    with engine.connect() as conn:
        for name in inspector.get_table_names():
            table = sa.Table(name, sa.MetaData(), autoload_with=conn)
            texts = [c for c in table.columns if isinstance(c.type, sa.String | sa.Text)]
            if not texts:
                continue
            condition = sa.or_(*(c.contains(n) for c in texts for n in needles))
            rows = [dict(r._mapping) for r in conn.execute(sa.select(table).where(condition))]
            if rows:
                found[name] = rows
    return found


@pytest.fixture
def sqlite_shop(tmp_path, monkeypatch):
    """A filled SQLite webshop whose URL sits in WEBSHOP_TEST_URL, as an officer would set it."""
    url = f"sqlite:///{tmp_path / 'po_i18_conn_shop.sqlite3'}"
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    webshop.create(engine)
    webshop.fill(engine, people=[ANNA, *LOOKALIKES], others=40, today=TODAY)
    monkeypatch.setenv("WEBSHOP_TEST_URL", url)
    yield engine
    engine.dispose()


def _webshop_sql_connector():
    """The register's webshop, reached by a SQL connector whose URL is in WEBSHOP_TEST_URL."""
    from connectors.models import Connector, Kind
    from privacy_register.models import System

    return Connector.objects.create(
        system=System.objects.get(slug="webshop"),
        kind=Kind.SQL,
        secret_env="WEBSHOP_TEST_URL",
        mapping=webshop.MAPPING,
        mapping_version=1,
    )


@pytest.fixture
def webshop_connector(register, sqlite_shop):
    return _webshop_sql_connector()


@pytest.fixture
def shop_connector(register, webshop_url, shop, monkeypatch):
    """The webshop's connector on `shop`: SQLite, PostgreSQL and MariaDB in turn."""
    monkeypatch.setenv("WEBSHOP_TEST_URL", webshop_url)
    return _webshop_sql_connector()

