"""The connectors' part of the demo office: a real second database, the webshop (SQLite under
var/, a few thousand rows, the demo data subjects among its customers), and its SQL connector,
so a newcomer sees an access request fetch from it and an erasure empty it. Idempotent: an
existing webshop database and connector are left alone.

The connector names WEBSHOP_DATABASE_URL (`make run` exports it; its default is the file below)."""

import os

import sqlalchemy as sa
from django.conf import settings

from connectors import webshop
from connectors.models import Connector, Kind
from consents.models import DataSubject
from privacy_register.models import System

ENV = "WEBSHOP_DATABASE_URL"
OTHER_CUSTOMERS = 500


def demo_url() -> str:
    return os.environ.get(ENV) or f"sqlite:///{settings.VAR_DIR / 'webshop.sqlite3'}"


def load(*, stdout) -> None:
    system = System.objects.filter(slug="webshop").first()
    if system is None:
        stdout.write("Connectors: the register has no webshop system, no demo connector.")
        return
    url = demo_url()
    os.environ.setdefault(ENV, url)  # this process (load_demo) may run the dry run below
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    if not sa.inspect(engine).has_table("customers"):
        people = []
        for subject in DataSubject.objects.filter(erased_at__isnull=True).order_by("pk"):
            first, _, last = (subject.name or "Demo Klant").partition(" ")
            people.append(webshop.Person(subject.email, first, last or "-", subject.phone or ""))
        webshop.create(engine)
        counts = webshop.fill(engine, people=people, others=OTHER_CUSTOMERS)
        stdout.write(
            f"Connectors: webshop database with {sum(counts.values())} rows "
            f"({len(people)} demo subjects among its customers)."
        )
    else:
        stdout.write("Connectors: demo webshop database already there.")
    engine.dispose()
    _, created = Connector.objects.get_or_create(
        system=system,
        defaults={
            "kind": Kind.SQL,
            "secret_env": ENV,
            "mapping": webshop.MAPPING,
            "mapping_version": 1,
            "timeout_seconds": 10,
        },
    )
    if created:
        stdout.write(f"Connectors: SQL connector for {system.name} (secret in ${ENV}).")
