"""Telling everyone in the breached systems (Art. 34): the officer picks connected systems, a job
lists the people the connectors reach there (a real webshop database on SQLite, PostgreSQL and
MariaDB), and the notice goes to each address once, spelled as the ledger spells it; a system that
fails is recorded, and the lookup runs in bounded queries however large the system."""

import re

import pytest
import sqlalchemy as sa
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from breaches.models import BreachEvent, BreachEventKind, Decision, LookupStatus, NoticeLookup
from breaches.services import notice_draft, notice_lookup_run, notice_lookup_start
from connectors import webshop
from connectors.models import Connector, Kind
from privacy_register.models import System
from requests_desk.models import OutboxKind, OutboxMessage
from tests.connectors.conftest import ANNA, TODAY
from tests.factories import decide, report_breach

pytestmark = pytest.mark.django_db


def _connector(system, env, url, monkeypatch) -> Connector:
    monkeypatch.setenv(env, url)
    return Connector.objects.create(
        system=system, kind=Kind.SQL, secret_env=env, mapping=webshop.MAPPING, mapping_version=1
    )


@pytest.fixture
def webshop_system(register):
    return System.objects.get(slug="webshop")


@pytest.fixture
def breached(register, agent, privacy_officer, webshop_system):
    breach = report_breach(by=agent)
    decide(breach, decision=Decision.HIGH_RISK, by=privacy_officer, systems=[webshop_system])
    return breach


def _notices():
    return OutboxMessage.objects.filter(letter_kind=OutboxKind.BREACH_NOTICE)


def _start(breach, by, systems):
    subject, body = notice_draft(breach=breach)
    return notice_lookup_start(breach=breach, subject=subject, body=body, systems=systems, by=by)


def test_everyone_in_the_breached_webshop_is_told_once_by_name(
    breached, privacy_officer, webshop_system, shop, webshop_url, monkeypatch
):
    _connector(webshop_system, "WEBSHOP_BREACH_URL", webshop_url, monkeypatch)
    lookup = _start(breached, privacy_officer, [webshop_system])
    assert lookup.status == LookupStatus.WAITING and not _notices().exists()
    lookup = notice_lookup_run(lookup_id=lookup.pk)
    assert lookup.status == LookupStatus.DONE and lookup.recipients == 43
    with shop.connect() as conn:
        customers = set(conn.execute(sa.select(webshop.customers.c.email)).scalars())
    assert set(_notices().values_list("to", flat=True)) == customers
    assert _notices().get(to=ANNA.email).body.startswith("Beste Annabel Zonneveld,")
    notice = breached.notice
    assert (
        notice.recipients == 43 and notice.source == f"gekoppelde systemen: {webshop_system.name}"
    )
    kinds = list(BreachEvent.objects.filter(breach=breached).values_list("kind", flat=True))
    assert kinds[-2:] == [BreachEventKind.NOTICE_LOOKUP, BreachEventKind.NOTICE]
    # Run again (a retried task, a second worker): nothing more is queued.
    assert notice_lookup_run(lookup_id=lookup.pk).status == LookupStatus.DONE
    assert _notices().count() == 43


def test_the_same_person_in_two_systems_and_two_spellings_is_told_once(
    breached, privacy_officer, webshop_system, tmp_path, monkeypatch
):
    """The ledger's normalisation (consents.addresses): case, and a Unicode domain against its
    punycode form; the message goes to the normalised address."""
    other_system = System.objects.exclude(pk=webshop_system.pk).first()
    spellings = [
        [
            webshop.Person("Anna@Voorbeeld.NL", "Anna", "Groot"),
            webshop.Person("jan@bücher.example", "Jan", "Boek"),
        ],
        [
            webshop.Person("anna@voorbeeld.nl", "Anna", "Klein"),
            webshop.Person("jan@xn--bcher-kva.example", "Jan", "Boek"),
            webshop.Person("piet@school.example", "Piet", "Pot"),
        ],
    ]
    systems = [webshop_system, other_system]
    for n, (system, people) in enumerate(zip(systems, spellings, strict=True)):
        url = f"sqlite:///{tmp_path / f'po_i18_conn_dup{n}.sqlite3'}"
        engine = sa.create_engine(url, poolclass=sa.NullPool)
        webshop.create(engine)
        webshop.fill(engine, people=people, others=0, today=TODAY)
        _connector(system, f"SHOP{n}_URL", url, monkeypatch)
    lookup = notice_lookup_run(
        lookup_id=_start(breached, privacy_officer, [webshop_system, other_system]).pk
    )
    assert lookup.recipients == 3
    assert sorted(_notices().values_list("to", flat=True)) == [
        "anna@voorbeeld.nl",
        "jan@xn--bcher-kva.example",
        "piet@school.example",
    ]


def test_a_failing_system_is_recorded_and_the_officer_may_start_again(
    breached, privacy_officer, webshop_connector, webshop_system, monkeypatch, tmp_path
):
    monkeypatch.delenv("WEBSHOP_TEST_URL")
    lookup = notice_lookup_run(lookup_id=_start(breached, privacy_officer, [webshop_system]).pk)
    assert lookup.status == LookupStatus.FAILED and "WEBSHOP_TEST_URL" in lookup.error
    assert not _notices().exists() and not hasattr(breached, "notice")
    failed = BreachEvent.objects.get(breach=breached, kind=BreachEventKind.NOTICE_LOOKUP_FAILED)
    assert failed.text == lookup.error
    # A database that cannot be opened (its folder is gone).
    monkeypatch.setenv("WEBSHOP_TEST_URL", f"sqlite:///{tmp_path / 'gone' / 'webshop.sqlite3'}")
    again = notice_lookup_run(lookup_id=_start(breached, privacy_officer, [webshop_system]).pk)
    assert again.status == LookupStatus.FAILED and "OperationalError" in again.error


def test_what_the_lookup_refuses(breached, privacy_officer, agent, webshop_connector):
    subject, body = notice_draft(breach=breached)
    webshop = webshop_connector.system
    manual = System.objects.exclude(pk=webshop.pk).first()
    refusals = [
        ({"systems": [], "by": privacy_officer}, "no_systems"),
        ({"systems": [manual], "by": privacy_officer}, "not_listable"),
        ({"systems": [webshop], "by": agent}, "not_permitted"),
        (
            {"systems": [webshop], "by": privacy_officer, "body": "Er was een lek."},
            "dpo_missing",
        ),
    ]
    for kwargs, code in refusals:
        with pytest.raises(ValidationError) as refused:
            notice_lookup_start(**{"breach": breached, "subject": subject, "body": body, **kwargs})
        assert refused.value.code == code
    notice_lookup_start(
        breach=breached, subject=subject, body=body, systems=[webshop], by=privacy_officer
    )
    with pytest.raises(ValidationError) as refused:
        notice_lookup_start(
            breach=breached, subject=subject, body=body, systems=[webshop], by=privacy_officer
        )
    assert refused.value.code == "lookup_waiting"


def test_a_large_system_is_looked_up_in_bounded_queries(
    breached, privacy_officer, webshop_connector, sqlite_shop, settings
):
    """2,043 people: our database sees a fixed number of statements (the outbox in batches), the
    webshop one statement per 1,000 people."""
    many = [webshop.Person(f"ouder{i}@school.example", "Ouder", str(i)) for i in range(2_000)]
    webshop.fill(sqlite_shop, people=many, others=0, today=TODAY)
    settings.BREACHES_NOTICE_BATCH = 500
    lookup = _start(breached, privacy_officer, [webshop_connector.system])
    sent = []

    def count(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", count)
    try:
        with CaptureQueriesContext(connection) as queries:
            lookup = notice_lookup_run(lookup_id=lookup.pk)
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", count)
    assert lookup.recipients == 2_043 == _notices().count()
    assert len([s for s in sent if s.lstrip().upper().startswith("SELECT")]) == 3
    inserts = [q for q in queries if 'INSERT INTO "requests_desk_outboxmessage"' in q["sql"]]
    if connection.vendor == "postgresql":
        assert len(inserts) == 1 and len(queries) <= 30
    else:  # SQLite's 999 parameters a statement cut the batch
        assert len(queries) <= len(inserts) + 30 and len(inserts) <= 2_043 // (999 // 14) + 2


def test_the_lookup_keeps_its_history(breached, privacy_officer, webshop_connector):
    lookup = notice_lookup_run(
        lookup_id=_start(breached, privacy_officer, [webshop_connector.system]).pk
    )
    versions = list(lookup.history.order_by("history_id"))
    # Created waiting (its systems recorded with it), then done.
    assert versions[0].status == LookupStatus.WAITING and versions[-1].status == LookupStatus.DONE
    assert [s.system_id for s in versions[-1].systems.all()] == [webshop_connector.system_id]


def test_the_officer_picks_the_breached_systems_on_the_notice_page(
    client_as, breached, webshop_connector, no_broker, django_capture_on_commit_callbacks
):
    client = client_as("privacy_officer")
    url = f"/desk/datalekken/{breached.reference}/betrokkenen/"
    page = client.get(url).content.decode()
    # The assessment's breached system is offered and ticked.
    ticked = re.search(rf'<input[^>]*value="{webshop_connector.system_id}"[^>]*>', page).group()
    assert 'name="systems"' in ticked and "checked" in ticked
    subject, body = notice_draft(breach=breached)
    form = {"source": "systems", "subject": subject, "body": body}
    assert "Kies ten minste één gekoppeld systeem." in client.post(url, form).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # no broker: it runs in the process
        answer = client.post(url, {**form, "systems": [webshop_connector.system_id]})
    assert answer.status_code == 302
    assert NoticeLookup.objects.get().status == LookupStatus.DONE
    assert _notices().count() == 43
    detail = client.get(f"/desk/datalekken/{breached.reference}/").content.decode()
    assert "Bericht aan 43 personen klaargezet" in detail
