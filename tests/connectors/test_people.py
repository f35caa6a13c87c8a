"""Everyone a connected system holds, for the notice to the people affected by a breach: the SQL
connector lists the identity table of its mapping a chunk at a time (keyset pagination, bounded
memory), with each person's name from the mapping, on SQLite, PostgreSQL and MariaDB."""

import math

import pytest
import sqlalchemy as sa

from connectors import runner, sql, webshop
from connectors.mapping import parse
from connectors.models import Connector, Kind
from connectors.people import people_in, system_ids
from privacy_register.models import System
from tests.connectors.conftest import ANNA, LOOKALIKES


@pytest.fixture
def statements():
    """The statements sent to any SQLAlchemy engine (the other system's database) meanwhile."""
    sent = []

    def count(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", count)
    yield sent
    sa.event.remove(sa.engine.Engine, "before_cursor_execute", count)


def test_everyone_in_the_webshop_is_listed_once_with_their_name_a_chunk_a_query(
    shop, mapping, statements
):
    with shop.connect() as conn:
        stored = conn.execute(
            sa.select(webshop.customers.c.email).order_by(webshop.customers.c.id)
        ).scalars()
        stored = list(stored)
    statements.clear()
    people = list(sql.subjects(shop, mapping, chunk=7))
    assert [email for email, _ in people] == stored  # each once, in the key's order
    assert len(people) == 43
    assert (ANNA.email, "Annabel Zonneveld") in people
    assert all(name for _, name in people)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    # ceil(43 / 7) chunks, each one query that seeks past the last key seen (no scan from the
    # start of the table, however far the listing has come).
    assert len(selects) == math.ceil(43 / 7)
    assert all("customers.id >" in s for s in selects[1:])


def test_a_mapping_without_name_columns_lists_addresses_only(shop):
    bare = parse(webshop.MAPPING.replace(", name: [first_name, last_name]", ""))
    people = list(sql.subjects(shop, bare))
    assert {email for email, _ in people} >= {ANNA.email, *(p.email for p in LOOKALIKES)}
    assert {name for _, name in people} == {""}


def test_a_row_without_an_address_is_skipped(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'po_i18_conn_people.sqlite3'}")
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE people (id INTEGER PRIMARY KEY, mail TEXT, naam TEXT)"))
        conn.execute(
            sa.text(
                "INSERT INTO people VALUES (1, 'a@school.example', 'A'), (2, NULL, 'B'), "
                "(3, '  ', 'C'), (4, 'd@school.example', NULL)"
            )
        )
    mapping = parse(
        "version: 1\nidentity: {table: people, column: mail, name: [naam]}\n"
        "tables:\n  people: {erase: delete_row}\n"
    )
    assert list(sql.subjects(engine, mapping, chunk=2)) == [
        ("a@school.example", "A"),
        ("d@school.example", ""),
    ]


@pytest.mark.django_db
def test_the_declared_lookup_lists_the_automatic_systems_and_their_people(
    webshop_connector, register
):
    manual = Connector.objects.create(system=System.objects.exclude(slug="webshop").first())
    assert manual.kind == Kind.MANUAL
    assert system_ids() == [webshop_connector.system_id]
    people = list(people_in(system_ids=[webshop_connector.system_id, manual.system_id], chunk=10))
    assert len(people) == 43
    assert list(people_in(system_ids=[manual.system_id])) == []


@pytest.mark.django_db
def test_an_unreachable_system_fails_with_a_reason_that_names_no_secret(
    webshop_connector, monkeypatch
):
    monkeypatch.delenv("WEBSHOP_TEST_URL")
    with pytest.raises(runner.ConnectorFailed, match="WEBSHOP_TEST_URL"):
        list(people_in(system_ids=[webshop_connector.system_id]))
    monkeypatch.setenv("WEBSHOP_TEST_URL", "sqlite:////nonexistent/po_i18_conn_gone.sqlite3")
    with pytest.raises(runner.ConnectorFailed) as failed:
        list(people_in(system_ids=[webshop_connector.system_id]))
    assert "OperationalError" in str(failed.value)
