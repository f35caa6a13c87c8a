"""The SQL engine against real webshop databases (SQLite, PostgreSQL, MariaDB), each created and
dropped by the test: the lookup finds exactly the person's rows across the foreign keys; erasure
leaves nothing of the person in any text column of any table but the kept invoices (reported); a
failure or a timeout halfway leaves everything as it was."""

import json
import threading
from dataclasses import replace

import pytest
import sqlalchemy as sa

from connectors import sql, webshop
from connectors.mapping import FieldRule, MappingError, parse
from tests.connectors.conftest import ANNA, LOOKALIKES, TODAY, text_columns_containing

NEEDLES = [ANNA.email, ANNA.first_name, ANNA.last_name, ANNA.phone]


def _all_rows(engine):
    with engine.connect() as conn:
        return {
            name: conn.execute(sa.text(f"SELECT COUNT(*) FROM {name}")).scalar()
            for name in sa.inspect(engine).get_table_names()
        }


def test_the_lookup_finds_exactly_the_persons_rows_across_the_foreign_keys(shop, mapping):
    with shop.connect() as conn:
        found = sql.lookup(conn, mapping, ANNA.email)
    assert found.counts()["customers"] == 1
    (customer,) = found.rows["customers"]
    assert customer["email"] == ANNA.email
    orders = found.rows["orders"]
    assert len(orders) == 2 and {o["customer_id"] for o in orders} == {customer["id"]}
    order_ids = {o["id"] for o in orders}
    assert (
        found.rows["order_lines"]
        and {r["order_id"] for r in found.rows["order_lines"]} <= order_ids
    )
    for table in ("addresses", "newsletter_subscriptions", "forum_posts", "invoices"):
        assert {r["customer_id"] for r in found.rows[table]} == {customer["id"]}, table
    # Every row that names Anna anywhere in the database is in what was found, and no other.
    everywhere = text_columns_containing(shop, [ANNA.last_name])
    for table, rows in everywhere.items():
        assert {r["id"] for r in rows} <= {r["id"] for r in found.rows[table]}, table


def test_look_alike_addresses_are_not_the_person(shop, mapping):
    export = sql.export(shop, mapping, ANNA.email)
    names = {c["last_name"] for c in export["customers"]}
    assert names == {ANNA.last_name} and not any(p.email in str(export) for p in LOOKALIKES)


def test_the_export_holds_plain_values(shop, mapping):
    export = sql.export(shop, mapping, ANNA.email)
    assert set(export) == {
        "customers",
        "addresses",
        "orders",
        "order_lines",
        "newsletter_subscriptions",
        "forum_posts",
        "invoices",
    }
    assert json.loads(json.dumps(export))["orders"][0]["ordered_on"].startswith("20")


def test_the_dry_run_plan_counts_per_table_and_changes_nothing(shop, mapping):
    before = _all_rows(shop)
    with shop.connect() as conn:
        plan = sql.plan(mapping, sql.lookup(conn, mapping, ANNA.email), TODAY)
    assert plan["customers"] == {"rows": 1, "delete": 1, "update": 0, "keep": 0}
    assert plan["forum_posts"]["update"] == 1
    assert plan["invoices"] == {"rows": 2, "delete": 1, "update": 0, "keep": 1}
    assert _all_rows(shop) == before


def test_erasure_leaves_nothing_of_the_person_but_the_kept_invoice(shop, mapping):
    others_before = text_columns_containing(shop, [LOOKALIKES[0].last_name])
    erased = sql.erase(shop, mapping, ANNA.email, today=TODAY)
    assert erased.deleted["customers"] == 1 and erased.deleted["order_lines"] >= 4
    assert erased.deleted["invoices"] == 1  # the invoice older than seven years goes
    assert erased.updated["forum_posts"] == 1
    (kept,) = erased.kept
    assert kept["table"] == "invoices" and kept["rows"] == 1 and "AWR" in kept["reason"]
    assert kept["until"] > TODAY.isoformat()
    left = text_columns_containing(shop, NEEDLES)
    assert set(left) == {"invoices"} and len(left["invoices"]) == 1
    assert left["invoices"][0]["customer_id"] is None
    assert sql.verify(shop, mapping, ANNA.email, today=TODAY) == 0
    # Nobody else lost anything.
    assert text_columns_containing(shop, [LOOKALIKES[0].last_name]) == others_before


def test_a_failure_halfway_leaves_nothing_half_erased(shop, mapping):
    """The customers row is the last to go; a column that does not exist there fails the
    transaction after the orders, lines and posts were already changed in it."""
    broken = replace(
        mapping.table("customers"),
        erase="update",
        fields=(FieldRule("no_such_column", "set_null"),),
    )
    tables = tuple(broken if t.name == "customers" else t for t in mapping.tables)
    before = _all_rows(shop)
    found_before = text_columns_containing(shop, NEEDLES)
    with pytest.raises(sa.exc.DBAPIError):
        sql.erase(shop, replace(mapping, tables=tables), ANNA.email, today=TODAY)
    assert _all_rows(shop) == before
    assert text_columns_containing(shop, NEEDLES) == found_before


def test_a_lock_held_elsewhere_times_out_and_rolls_back(webshop_url, shop, mapping):
    """Another session holds a write lock on the forum; the erasure gives up after its timeout and
    leaves everything as it was."""
    backend = sa.engine.make_url(webshop_url).get_backend_name()
    engine = sql.engine_for(webshop_url, timeout=1)
    holder = sa.create_engine(webshop_url, poolclass=sa.NullPool).connect()
    held = holder.begin()
    if backend == "sqlite":
        holder.execute(sa.text("UPDATE forum_posts SET body = body WHERE id = 1"))
    else:
        holder.execute(sa.text("SELECT id FROM forum_posts FOR UPDATE"))
    before = text_columns_containing(shop, NEEDLES)
    try:
        with pytest.raises(sa.exc.OperationalError):
            sql.erase(engine, mapping, ANNA.email, today=TODAY)
    finally:
        held.rollback()
        holder.close()
    assert text_columns_containing(shop, NEEDLES) == before


def test_rectify_and_restrict_change_the_mapped_fields(shop, mapping):
    corrected = {"name": "Anna van der Bos", "function": "x"}
    assert sql.rectify(shop, mapping, ANNA.email, corrected) == ["name"]
    assert sql.restrict(shop, mapping, ANNA.email) == 1
    with shop.connect() as conn:
        row = conn.execute(
            sa.text("SELECT first_name, last_name, restricted FROM customers WHERE email = :e"),
            {"e": ANNA.email},
        ).one()
    # The webshop keeps the name in two columns: the correction is split at its first space.
    assert (row.first_name, row.last_name) == ("Anna", "van der Bos") and bool(row.restricted)


def test_a_name_maps_to_one_column_or_to_two_and_no_more():
    one = parse(webshop.MAPPING.replace("name: [first_name, last_name], phone", "name: x, phone"))
    assert one.tables[0].rectify["name"] == "x"
    with pytest.raises(MappingError):
        parse(webshop.MAPPING.replace("[first_name, last_name], phone", "[a, b, c], phone"))


def test_the_index_check_sees_the_identity_index(shop):
    assert sql.indexed(shop, "customers", "email")
    assert not sql.indexed(shop, "forum_posts", "author_name")


def test_two_erasures_at_once_in_threads_leave_one_result(shop, mapping):
    results, errors = [], []

    def go():
        try:
            results.append(sql.erase(shop, mapping, ANNA.email, today=TODAY))
        except Exception as error:  # noqa: BLE001 — a lock conflict is an acceptable outcome
            errors.append(error)

    threads = [threading.Thread(target=go) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sql.verify(shop, mapping, ANNA.email, today=TODAY) == 0
