"""A webshop's database, as a second system for the demo office, the tests and the benchmark:
customers, addresses, orders and their lines, newsletter subscriptions, forum posts and invoices
(kept seven years for the tax authority), with the dataset mapping that reaches a person in it.
SQLAlchemy Core, so the same schema is made on SQLite, PostgreSQL and MariaDB."""

import datetime as dt
import decimal
import random
from dataclasses import dataclass

import sqlalchemy as sa

metadata = sa.MetaData()

customers = sa.Table(
    "customers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("customer_number", sa.String(20), nullable=False, unique=True),
    sa.Column("email", sa.String(254), nullable=False, unique=True),
    sa.Column("first_name", sa.String(100)),
    sa.Column("last_name", sa.String(100)),
    sa.Column("phone", sa.String(30)),
    sa.Column("created_on", sa.Date, nullable=False),
    sa.Column("restricted", sa.Boolean, nullable=False, default=False),
)
addresses = sa.Table(
    "addresses",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("customer_id", sa.ForeignKey("customers.id"), nullable=False, index=True),
    sa.Column("street", sa.String(200)),
    sa.Column("postcode", sa.String(10)),
    sa.Column("city", sa.String(100)),
)
orders = sa.Table(
    "orders",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("customer_id", sa.ForeignKey("customers.id"), nullable=True, index=True),
    sa.Column("address_id", sa.ForeignKey("addresses.id"), nullable=True),
    sa.Column("ordered_on", sa.Date, nullable=False),
    sa.Column("note", sa.Text),
)
order_lines = sa.Table(
    "order_lines",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("order_id", sa.ForeignKey("orders.id"), nullable=False, index=True),
    sa.Column("product", sa.String(200), nullable=False),
    sa.Column("quantity", sa.Integer, nullable=False),
    sa.Column("price", sa.Numeric(10, 2), nullable=False),
    sa.Column("gift_message", sa.Text),
)
newsletter_subscriptions = sa.Table(
    "newsletter_subscriptions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("customer_id", sa.ForeignKey("customers.id"), nullable=False, index=True),
    sa.Column("list_name", sa.String(100), nullable=False),
    sa.Column("subscribed_on", sa.Date, nullable=False),
)
forum_posts = sa.Table(
    "forum_posts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("customer_id", sa.ForeignKey("customers.id"), nullable=True, index=True),
    sa.Column("author_name", sa.String(200)),
    sa.Column("body", sa.Text),
    sa.Column("posted_on", sa.Date, nullable=False),
)
invoices = sa.Table(
    "invoices",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("customer_id", sa.ForeignKey("customers.id"), nullable=True, index=True),
    sa.Column("number", sa.String(20), nullable=False, unique=True),
    sa.Column("issued_on", sa.Date, nullable=False),
    sa.Column("billing_name", sa.String(200)),
    sa.Column("billing_address", sa.String(300)),
    sa.Column("total", sa.Numeric(10, 2), nullable=False),
)

MAPPING = """\
# The webshop: one customer by e-mail address, everything else through the foreign keys.
version: 1
identity: {table: customers, column: email, name: [first_name, last_name]}
tables:
  customers:
    erase: delete_row
    rectify: {name: [first_name, last_name], phone: phone, email: email}
    restrict: {column: restricted, value: true}
  addresses:
    link: {column: customer_id, to: customers}
    erase: delete_row
  orders:
    link: {column: customer_id, to: customers}
    erase: delete_row
  order_lines:
    link: {column: order_id, to: orders}
    erase: delete_row
  newsletter_subscriptions:
    link: {column: customer_id, to: customers}
    erase: delete_row
  forum_posts:
    link: {column: customer_id, to: customers}
    erase: update
    fields:
      customer_id: {action: set_null}
      author_name: {action: fixed, value: "verwijderd"}
      body: {action: fixed, value: "[verwijderd op verzoek van de schrijver]"}
  invoices:
    link: {column: customer_id, to: customers}
    erase: keep
    keep:
      reason: "Fiscale bewaarplicht: facturen zeven jaar (art. 52 AWR)"
      years: 7
      from: issued_on
    fields:
      customer_id: {action: set_null}
"""

FIRST = ["Anna", "Bram", "Carla", "Daan", "Eva", "Femke", "Gijs", "Hanna", "Ivo", "Julia"]
LAST = [
    "de Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Mulder",
    "Bos",
    "Vos",
    "Peters",
]
PRODUCTS = ["Rekenmethode groep 5", "Training klassenmanagement", "Abonnement Leraar+", "Pennenset"]
CITIES = ["Utrecht", "Zwolle", "Groningen", "Tilburg", "Delft"]


@dataclass(frozen=True)
class Person:
    email: str
    first_name: str
    last_name: str
    phone: str = ""


def create(engine: sa.Engine) -> None:
    metadata.create_all(engine)


def drop(engine: sa.Engine) -> None:
    metadata.drop_all(engine)


def fill(
    engine: sa.Engine,
    *,
    people: list[Person] = (),
    others: int = 100,
    today: dt.date | None = None,
    seed: int = 18,
) -> dict[str, int]:
    """`people` (the persons a test or the demo looks for) and `others` random customers, each
    with an address, two orders of two or three lines, a subscription, a forum post and an
    invoice per order (one of them older than seven years). Returns the rows per table."""
    today = today or dt.date.today()
    rng = random.Random(seed)
    everyone = list(people) + [
        Person(
            f"klant{i}@webshop.example",
            rng.choice(FIRST),
            rng.choice(LAST),
            f"06{rng.randrange(10**8):08d}",
        )
        for i in range(others)
    ]
    with engine.begin() as conn:
        start = conn.execute(sa.select(sa.func.count()).select_from(customers)).scalar()
    rows: dict[str, list[dict]] = {t.name: [] for t in metadata.sorted_tables}
    with engine.begin() as conn:
        base = {
            t.name: conn.execute(sa.select(sa.func.coalesce(sa.func.max(t.c.id), 0))).scalar()
            for t in metadata.sorted_tables
        }
    order_id, line_id = base["orders"], base["order_lines"]
    for n, person in enumerate(everyone, start=1):
        cid = base["customers"] + n
        name = f"{person.first_name} {person.last_name}"
        street = f"{rng.choice(['Kerkstraat', 'Dorpsweg', 'Schoolplein'])} {rng.randrange(1, 200)}"
        rows["customers"].append(
            {
                "id": cid,
                "customer_number": f"K{start + n:07d}",
                "email": person.email,
                "first_name": person.first_name,
                "last_name": person.last_name,
                "phone": person.phone,
                "created_on": today - dt.timedelta(days=3000),
                "restricted": False,
            }
        )
        aid = base["addresses"] + n
        rows["addresses"].append(
            {
                "id": aid,
                "customer_id": cid,
                "street": street,
                "postcode": f"{rng.randrange(1000, 9999)} AB",
                "city": rng.choice(CITIES),
            }
        )
        for age in (100, 3200):  # one recent order, one from before the seven years
            order_id += 1
            rows["orders"].append(
                {
                    "id": order_id,
                    "customer_id": cid,
                    "address_id": aid,
                    "ordered_on": today - dt.timedelta(days=age),
                    "note": f"Graag bezorgen bij {name}",
                }
            )
            for _ in range(rng.choice((2, 3))):
                line_id += 1
                rows["order_lines"].append(
                    {
                        "id": line_id,
                        "order_id": order_id,
                        "product": rng.choice(PRODUCTS),
                        "quantity": rng.randrange(1, 4),
                        "price": decimal.Decimal(rng.randrange(500, 20000)) / 100,
                        "gift_message": f"Voor {person.first_name}" if rng.random() < 0.3 else None,
                    }
                )
            rows["invoices"].append(
                {
                    "id": order_id,
                    "customer_id": cid,
                    "number": f"F{order_id:08d}",
                    "issued_on": today - dt.timedelta(days=age),
                    "billing_name": name,
                    "billing_address": street,
                    "total": decimal.Decimal("42.00"),
                }
            )
        rows["newsletter_subscriptions"].append(
            {
                "id": base["newsletter_subscriptions"] + n,
                "customer_id": cid,
                "list_name": "Nieuwsbrief basisonderwijs",
                "subscribed_on": today - dt.timedelta(days=400),
            }
        )
        rows["forum_posts"].append(
            {
                "id": base["forum_posts"] + n,
                "customer_id": cid,
                "author_name": name,
                "body": f"Groeten van {name} ({person.email})",
                "posted_on": today - dt.timedelta(days=20),
            }
        )
    with engine.begin() as conn:
        for table in metadata.sorted_tables:
            if rows[table.name]:
                conn.execute(table.insert(), rows[table.name])
    return {name: len(r) for name, r in rows.items()}
