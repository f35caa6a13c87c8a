"""One person's access and erasure through the SQL connector in a PostgreSQL webshop of 1,000,000
customers and 5,000,000 order lines, beside a hand-written query of the same rows (the floor):
time per person (median), queries per system, and EXPLAIN of every statement the engine sent (an
index for each, no sequential scan). Goal: at most twice the floor.

    .venv/bin/python bench/connectors.py [--customers 1000000] [--lines 5000000] [--people 20]

The webshop is a database of its own (po_i18_conn_bench on CONNECTORS_BENCH_POSTGRES, default
postgres@127.0.0.1:5432), filled with generate_series, dropped at the end (--keep keeps it).
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from harness import print_table, record  # noqa: E402

from connectors import sql, webshop  # noqa: E402
from connectors.mapping import parse  # noqa: E402

SERVER = os.environ.get("CONNECTORS_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432")
NAME = "po_i18_conn_bench"
TODAY = "2026-12-01"


def fill(engine, customers: int, lines: int) -> None:
    """The webshop at scale, in the database itself: two orders per customer, the lines spread
    over them, one invoice per order (the older half past its seven years)."""
    orders = customers * 2
    statements = [
        f"""INSERT INTO customers (id, customer_number, email, first_name, last_name, phone,
                created_on, restricted)
            SELECT i, 'K' || i, 'klant' || i || '@webshop.example', 'Voornaam' || i,
                   'Achternaam' || i, '06' || lpad(i::text, 8, '0'), DATE '2018-01-01', false
            FROM generate_series(1, {customers}) AS i""",
        f"""INSERT INTO addresses (id, customer_id, street, postcode, city)
            SELECT i, i, 'Schoolstraat ' || i, '1234 AB', 'Utrecht'
            FROM generate_series(1, {customers}) AS i""",
        f"""INSERT INTO orders (id, customer_id, address_id, ordered_on, note)
            SELECT i, (i + 1) / 2, (i + 1) / 2, DATE '{TODAY}' - (i % 2) * 3000 - 30, NULL
            FROM generate_series(1, {orders}) AS i""",
        f"""INSERT INTO order_lines (id, order_id, product, quantity, price, gift_message)
            SELECT i, ((i - 1)::bigint * {orders} / {lines}) + 1, 'Product ' || (i % 50), 1,
                   9.95, NULL
            FROM generate_series(1, {lines}) AS i""",
        f"""INSERT INTO newsletter_subscriptions (id, customer_id, list_name, subscribed_on)
            SELECT i, i, 'Nieuwsbrief', DATE '2024-01-01' FROM generate_series(1, {customers}) i""",
        f"""INSERT INTO forum_posts (id, customer_id, author_name, body, posted_on)
            SELECT i, i, 'Voornaam' || i, 'Bericht van klant ' || i, DATE '2026-01-01'
            FROM generate_series(1, {customers}) AS i""",
        f"""INSERT INTO invoices (id, customer_id, number, issued_on, billing_name,
                billing_address, total)
            SELECT i, (i + 1) / 2, 'F' || i, DATE '{TODAY}' - (i % 2) * 3000 - 30,
                   'Voornaam Achternaam', 'Schoolstraat', 42.00
            FROM generate_series(1, {orders}) AS i""",
    ]
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(sa.text(statement))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM ANALYZE"))


class Counter:
    def __init__(self, engine):
        self.statements: list[tuple[str, object]] = []
        sa.event.listen(engine, "before_cursor_execute", self.seen)

    def seen(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append((statement, parameters))


def floor_access(url: str, customer: int) -> int:
    """The same rows by hand: the queries a developer who knows the schema would write."""
    import psycopg

    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn:
        count = 0
        email = f"klant{customer}@webshop.example"
        for query in (
            "SELECT * FROM customers WHERE email = %(e)s",
            "SELECT a.* FROM addresses a JOIN customers c ON c.id = a.customer_id"
            " WHERE c.email = %(e)s",
            "SELECT o.* FROM orders o JOIN customers c ON c.id = o.customer_id"
            " WHERE c.email = %(e)s",
            "SELECT l.* FROM order_lines l JOIN orders o ON o.id = l.order_id"
            " JOIN customers c ON c.id = o.customer_id WHERE c.email = %(e)s",
            "SELECT n.* FROM newsletter_subscriptions n JOIN customers c ON c.id = n.customer_id"
            " WHERE c.email = %(e)s",
            "SELECT f.* FROM forum_posts f JOIN customers c ON c.id = f.customer_id"
            " WHERE c.email = %(e)s",
            "SELECT i.* FROM invoices i JOIN customers c ON c.id = i.customer_id"
            " WHERE c.email = %(e)s",
        ):
            count += len(conn.execute(query, {"e": email}).fetchall())
        return count


def floor_erase(url: str, customer: int) -> None:
    """The same erasure by hand, in one transaction, knowing the customer's id."""
    import psycopg

    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn, conn.transaction():
        (cid,) = conn.execute(
            "SELECT id FROM customers WHERE email = %s", (f"klant{customer}@webshop.example",)
        ).fetchone()
        conn.execute(
            "DELETE FROM order_lines WHERE order_id IN"
            " (SELECT id FROM orders WHERE customer_id = %s)",
            (cid,),
        )
        conn.execute(
            "DELETE FROM invoices WHERE customer_id = %s AND issued_on <= %s::date - 2557",
            (cid, TODAY),
        )
        conn.execute("UPDATE invoices SET customer_id = NULL WHERE customer_id = %s", (cid,))
        conn.execute(
            "UPDATE forum_posts SET customer_id = NULL, author_name = 'verwijderd',"
            " body = '[verwijderd]' WHERE customer_id = %s",
            (cid,),
        )
        conn.execute("DELETE FROM newsletter_subscriptions WHERE customer_id = %s", (cid,))
        conn.execute("DELETE FROM orders WHERE customer_id = %s", (cid,))
        conn.execute("DELETE FROM addresses WHERE customer_id = %s", (cid,))
        conn.execute("DELETE FROM customers WHERE id = %s", (cid,))


def explain(engine, statements) -> list[str]:
    """Each distinct statement's plan; returns those that scan a table sequentially."""
    scans = []
    seen = set()
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        for statement, parameters in statements:
            if statement in seen:
                continue
            seen.add(statement)
            with raw.cursor() as cursor:
                cursor.execute("EXPLAIN " + statement, parameters)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            if "Seq Scan" in plan:
                scans.append(statement[:80] + " …\n" + plan)
        raw.rollback()
    return scans


def timed(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--lines", type=int, default=5_000_000)
    parser.add_argument("--people", type=int, default=20)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    server = sa.create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
    url = f"{SERVER}/{NAME}"
    with server.connect() as conn:
        exists = conn.execute(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": NAME}
        ).scalar()
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    if not exists:
        with server.connect() as conn:
            conn.execute(sa.text(f"CREATE DATABASE {NAME}"))
        started = time.perf_counter()
        webshop.create(engine)
        fill(engine, args.customers, args.lines)
        print(f"filled in {time.perf_counter() - started:.0f} s", flush=True)
    try:
        return measure(args, engine, url)
    finally:
        engine.dispose()
        if not args.keep:
            with server.connect() as conn:
                conn.execute(sa.text(f"DROP DATABASE {NAME} WITH (FORCE)"))


def measure(args, engine, url) -> int:
    # The figures are labelled with the database they were measured on (harness reads the URL).
    os.environ["DATABASE_URL"] = "postgresql://bench"
    mapping = parse(webshop.MAPPING)
    bench = "connectors"
    size = f"{args.customers:,} customers / {args.lines:,} lines"
    connector_engine = sql.engine_for(url, timeout=30)
    counter = Counter(connector_engine)
    step = args.customers // (2 * args.people + 1)
    access_people = [step * (i + 1) for i in range(args.people)]
    erase_people = [step * (args.people + i + 1) for i in range(args.people)]

    # Warm both paths once (connection setup, plan cache), then measure.
    sql.export(connector_engine, mapping, f"klant{access_people[0]}@webshop.example")
    floor_access(url, access_people[0])
    counter.statements.clear()
    ours = [
        timed(sql.export, connector_engine, mapping, f"klant{c}@webshop.example")
        for c in access_people
    ]
    access_queries = len(counter.statements) / len(access_people)
    statements = list(counter.statements)
    floors = [timed(floor_access, url, c) for c in access_people]
    rows = len(sql.export(connector_engine, mapping, f"klant{access_people[0]}@webshop.example"))
    record(
        bench,
        f"access, one person ({size}) (ms)",
        statistics.median(ours) * 1000,
        "hand-written queries",
        statistics.median(floors) * 1000,
    )
    record(bench, "access: queries per system", access_queries, "hand-written queries", 7)

    half = len(erase_people) // 2
    counter.statements.clear()
    today = dt.date.fromisoformat(TODAY)
    erase_ours = [
        timed(
            lambda c=c: sql.erase(
                connector_engine, mapping, f"klant{c}@webshop.example", today=today
            )
        )
        for c in erase_people[:half]
    ]
    erase_queries = len(counter.statements) / half
    statements += counter.statements
    erase_floor = [timed(floor_erase, url, c) for c in erase_people[half:]]
    record(
        bench,
        f"erasure, one person ({size}) (ms)",
        statistics.median(erase_ours) * 1000,
        "hand-written statements",
        statistics.median(erase_floor) * 1000,
    )
    record(bench, "erasure: statements per system", erase_queries, "hand-written statements", 9)
    scans = explain(connector_engine, statements)
    record(bench, "statements with a sequential scan", len(scans), "", None)
    print_table()
    print(f"tables holding the person: {rows}")
    for scan in scans:
        print("SEQ SCAN:", scan)
    if not scans:
        print("EXPLAIN: every statement the connector sent uses an index (no Seq Scan).")
    connector_engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
