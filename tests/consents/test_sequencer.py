"""Queue, then integrate (issue 19): one recorded event is in the person's state at once, without
the chain's lock; the sequencer gives the queued events their numbers, keyed hashes and tree
leaves in batches; only integrated events are proven (the verifier, the receipts); the admin shows
the queue. The concurrent tests need PostgreSQL: SQLite serialises every writing transaction."""

import datetime as dt
import threading
import time

import pytest
from celery import current_app
from django.db import DatabaseError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from consents import services, triggers
from consents.models import ConsentEvent, ConsentPurposeVersion, ConsentState
from consents.receipts import consent_receipt
from consents.selectors import ledger_queue, ledger_verify, may_contact
from consents.services import (
    LEDGER_LOCK,
    SEQUENCER_LOCK,
    consent_give,
    consent_withdraw,
    consents_record,
    ledger_integrate,
    sequencer_wake,
)
from consents.tasks import ledger_integrate as ledger_integrate_task
from tests.consents.conftest import clear_ledger
from tests.factories import DataSubjectFactory, purpose_with_wording
from tests.platform.test_celery_worker import celery_config, celery_worker_parameters  # noqa: F401

POSTGRESQL_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writing transactions: nothing runs at the same time there",
)


@pytest.fixture(autouse=True)
def queued(settings):
    settings.CONSENT_SEQUENCER_INLINE = False


@pytest.fixture
def ledger_cleared_after():
    yield
    clear_ledger()


@pytest.mark.django_db
def test_a_recorded_event_counts_at_once_and_is_proven_once_integrated(
    subject, purpose, register, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        event = consent_give(subject=subject, purpose=purpose, method="web_form")
    assert sequencer_wake in callbacks  # the sequencer is woken once this commits
    assert event.sequence is None and event.hash is None
    assert may_contact(subject=subject, purpose=purpose)  # right at once
    assert ledger_queue().waiting == 1
    assert ledger_verify() == (0, None)  # queued is not proven
    assert consent_receipt(event)["ledgerProof"] is None
    assert ledger_integrate() == 1
    event.refresh_from_db()
    assert event.sequence == 1 and event.hash
    assert ledger_queue().waiting == 0
    assert ledger_verify() == (1, None)
    assert consent_receipt(event)["ledgerProof"]["leafIndex"] == 0
    assert ledger_integrate() == 0


@pytest.mark.django_db
def test_queued_and_batch_events_form_one_chain(subject, purpose):
    others = DataSubjectFactory.create_batch(3)
    for other in others:
        consent_give(subject=other, purpose=purpose, method="web_form")
    consents_record(pairs=[(subject.pk, purpose.pk)], action="withdrawn", method="request")
    consent_withdraw(subject=others[0], purpose=purpose, method="phone")
    assert ledger_verify() == (1, None)
    assert ledger_integrate(limit=2) == 2  # in batches
    assert ledger_integrate() == 2
    assert ledger_verify() == (5, None)
    assert not may_contact(subject=others[0], purpose=purpose)
    assert list(ConsentEvent.objects.order_by("sequence").values_list("sequence", flat=True)) == [
        1,
        2,
        3,
        4,
        5,
    ]


@pytest.mark.django_db
def test_the_database_allows_an_integration_once_and_nothing_else(subject, purpose):
    event = consent_give(subject=subject, purpose=purpose, method="web_form")
    table = triggers.TABLE
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET reference = 'vervalst' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET sequence = 1, reference = 'vervalst' WHERE id = %s", [event.pk]
        )
    assert ledger_integrate() == 1
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET sequence = 7 WHERE id = %s", [event.pk])
    assert ledger_verify() == (1, None)


@pytest.mark.django_db
def test_the_admin_shows_how_many_wait_and_the_oldest_age(client_as, subject, purpose):
    consent_give(subject=subject, purpose=purpose, method="web_form")
    page = client_as("privacy_officer").get("/admin/consents/consentevent/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "1 gebeurtenis(sen) nog niet in de keten" in text
    ledger_integrate()
    page = client_as("auditor").get("/admin/consents/consentevent/")
    assert "0 gebeurtenis(sen) nog niet in de keten" in page.content.decode()


@pytest.mark.django_db
def test_a_queued_event_takes_the_wording_in_force_in_one_statement_with_its_state(
    subject, purpose
):
    ConsentPurposeVersion.objects.create(purpose=purpose, number=2, wording="Ja, wekelijks.")
    with CaptureQueriesContext(connection) as queries:
        event = consent_give(subject=subject, purpose=purpose, method="web_form")
    written = [
        q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]
    listener = [sql for sql in written if "api_webhooksubscription" in sql]
    # PostgreSQL: the wording, the insert and the state in one round trip; SQLite: three.
    assert len(written) - len(listener) == (1 if connection.vendor == "postgresql" else 3)
    assert event.purpose_version.number == 2
    stored = ConsentEvent.objects.get()
    assert (stored.pk, stored.purpose_version_id, stored.sequence) == (
        event.pk,
        event.purpose_version_id,
        None,
    )
    state = ConsentState.objects.get(subject=subject, purpose=purpose)
    assert (state.status, state.last_event_id, state.since) == (
        "given",
        event.pk,
        stored.occurred_at,
    )
    older = purpose.versions.get(number=1)
    again = consent_give(subject=subject, purpose=purpose, method="paper", purpose_version=older)
    assert ConsentEvent.objects.get(pk=again.pk).purpose_version == older


@pytest.mark.django_db
def test_a_queued_event_that_happened_earlier_does_not_move_the_state_back(subject, purpose):
    withdrawal = consent_withdraw(subject=subject, purpose=purpose, method="unsubscribe_link")
    yesterday = withdrawal.occurred_at - dt.timedelta(days=1)
    late = consent_give(subject=subject, purpose=purpose, method="paper", occurred_at=yesterday)
    state = ConsentState.objects.get(subject=subject, purpose=purpose)
    assert (state.status, state.last_event_id) == ("withdrawn", withdrawal.pk)
    assert ConsentEvent.objects.filter(pk=late.pk, sequence__isnull=True).exists()  # in the ledger
    assert not may_contact(subject=subject, purpose=purpose)


def test_a_broker_that_is_down_is_not_asked_again_on_every_commit(monkeypatch):
    """Its `send_task` retries for more than half a second in the committing request: after a
    refusal the writers leave the queue to beat for SEQUENCER_WAKE_BACKOFF_SECONDS."""
    asked = []

    def down(*args, **kwargs):
        asked.append(args)
        raise ConnectionError("broker down")

    monkeypatch.setattr(current_app, "send_task", down)
    monkeypatch.setattr(services, "_last_wake", [0.0])
    sequencer_wake()
    time.sleep(services.SEQUENCER_WAKE_SECONDS)
    sequencer_wake()
    assert len(asked) == 1
    services._last_wake[0] = time.monotonic()  # the backoff has run out
    sequencer_wake()
    assert len(asked) == 2


def in_thread(job, started: threading.Event | None = None):
    """Run `job` on a connection of its own; returns the thread and a list for its outcome."""
    outcome = []

    def run():
        try:
            outcome.append(job())
        except Exception as error:  # noqa: BLE001 — asserted by the caller
            outcome.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def holding(lock_sql: str, argument, release: threading.Event, held: threading.Event):
    def job():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(lock_sql, [argument])
            held.set()
            release.wait(timeout=30)
        return True

    return job


@POSTGRESQL_ONLY
@pytest.mark.django_db(transaction=True)
def test_recording_does_not_wait_for_the_chain_lock(ledger_cleared_after):
    purpose, subject = purpose_with_wording(), DataSubjectFactory()
    release, held = threading.Event(), threading.Event()
    locker, _ = in_thread(holding("SELECT pg_advisory_xact_lock(%s)", LEDGER_LOCK, release, held))
    assert held.wait(timeout=30)
    try:
        writer, outcome = in_thread(
            lambda: consent_give(subject=subject, purpose=purpose, method="web_form").pk
        )
        writer.join(timeout=10)
        assert not writer.is_alive(), "recording waited for the chain lock"
        assert isinstance(outcome[0], int)
        assert may_contact(subject=subject, purpose=purpose)
    finally:
        release.set()
        locker.join()
    assert ledger_integrate() == 1 and ledger_verify() == (1, None)


@POSTGRESQL_ONLY
@pytest.mark.django_db(transaction=True)
def test_one_sequencer_at_a_time(ledger_cleared_after):
    consent_give(subject=DataSubjectFactory(), purpose=purpose_with_wording(), method="web_form")
    release, held = threading.Event(), threading.Event()
    locker, _ = in_thread(
        holding("SELECT pg_advisory_xact_lock(hashtext(%s))", SEQUENCER_LOCK, release, held)
    )
    assert held.wait(timeout=30)
    try:
        assert ledger_integrate() == 0  # another run holds it: returns at once
    finally:
        release.set()
        locker.join()
    assert ledger_integrate() == 1


@POSTGRESQL_ONLY
@pytest.mark.django_db(transaction=True)
def test_writers_and_sequencers_at_once_integrate_each_event_once(ledger_cleared_after):
    purpose = purpose_with_wording()
    subjects = DataSubjectFactory.create_batch(8)
    barrier, done = threading.Barrier(len(subjects) + 2), threading.Event()

    def write(subject):
        def job():
            barrier.wait()
            for n in range(25):
                action = consent_give if n % 2 == 0 else consent_withdraw
                action(subject=subject, purpose=purpose, method="web_form")
            return 25

        return job

    def sequence():
        barrier.wait()
        total = 0
        while not done.is_set():
            total += ledger_integrate(limit=40)
        return total

    writers = [in_thread(write(s)) for s in subjects]
    sequencers = [in_thread(sequence) for _ in range(2)]
    for thread, outcome in writers:
        thread.join()
        assert outcome == [25], outcome
    done.set()
    integrated = 0
    for thread, outcome in sequencers:
        thread.join()
        assert isinstance(outcome[0], int), outcome
        integrated += outcome[0]
    integrated += ledger_integrate()
    assert integrated == 200
    assert ConsentEvent.objects.count() == 200
    assert ledger_verify() == (200, None)
    assert all(may_contact(subject=s, purpose=purpose) for s in subjects)  # given last (n = 24)


@pytest.mark.django_db(transaction=True)
def test_the_worker_integrates_the_queue(
    celery_app, celery_worker, ledger_cleared_after, monkeypatch
):
    # No wake on commit: a second run still busy on the worker would hold SQLite's table lock
    # while the teardown empties the ledger. The one task this test sends is the one it waits for.
    monkeypatch.setattr(services, "_last_wake", [float("inf")])
    consent_give(subject=DataSubjectFactory(), purpose=purpose_with_wording(), method="web_form")
    celery_worker.reload()
    celery_app.send_task(ledger_integrate_task.name).get(timeout=30)
    assert ledger_queue().waiting == 0
    assert ledger_verify() == (1, None)
