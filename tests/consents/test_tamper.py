"""Tampering as a database administrator would — triggers dropped, raw SQL, hashes recomputed —
and the verifier names each change: altered, inserted or removed in the middle; the tail deleted;
a forged append; a rewrite from an event with recomputed unkeyed hashes and with hashes keyed
under a wrong key; a truncation; a replaced checkpoint. On SQLite and on PostgreSQL."""

import hashlib
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from consents import anchor
from consents.ledger_hash import canonical, keyed_hash
from consents.models import ConsentEvent, LedgerCheckpoint
from consents.selectors import ledger_verify
from consents.services import consent_give, consent_withdraw, ledger_checkpoint

pytestmark = pytest.mark.django_db


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def ledger(subject, purpose, django_capture_on_commit_callbacks):
    """Eight events, a checkpoint after them written to the store outside the database."""
    for i in range(8):
        action = consent_give if i % 2 == 0 else consent_withdraw
        action(subject=subject, purpose=purpose, method="web_form", reference=f"campagne-{i}")
    with django_capture_on_commit_callbacks(execute=True):
        ledger_checkpoint()
    return list(ConsentEvent.objects.order_by("sequence"))


def broken():
    checked, chain_break = ledger_verify()
    assert chain_break is not None, f"{checked} events verified: the tampering went unnoticed"
    return chain_break


def test_the_untouched_ledger_and_its_checkpoint_verify(ledger, capsys):
    assert ledger_verify() == (8, None)
    call_command("verify_consent_ledger")
    assert "8 events verified" in capsys.readouterr().out


def test_an_event_altered_in_the_middle_is_named(ledger, tampering):
    raw("UPDATE consents_consentevent SET action = 'given' WHERE sequence = 4")
    assert (broken().kind, broken().sequence) == ("altered", 4)


def test_an_event_inserted_in_the_middle_is_named(ledger, tampering):
    event = ledger[2]
    raw("UPDATE consents_consentevent SET sequence = sequence + 100 WHERE sequence >= 4")
    raw("UPDATE consents_consentevent SET sequence = sequence - 99 WHERE sequence >= 104")
    raw(
        "INSERT INTO consents_consentevent (sequence, subject_id, purpose_id, action, occurred_at,"
        " recorded_at, method, reference, previous_hash, key_id, hash) VALUES"
        " (4, %s, %s, 'given', %s, %s, 'web_form', 'vervalst', %s, %s, %s)",
        [
            event.subject_id,
            event.purpose_id,
            event.occurred_at,
            event.recorded_at,
            event.hash,
            event.key_id,
            "e" * 64,
        ],
    )
    chain_break = broken()
    assert chain_break.sequence == 4 and chain_break.kind in ("altered", "inserted")


def test_an_event_deleted_in_the_middle_is_named(ledger, tampering):
    raw("DELETE FROM consents_consentevent WHERE sequence = 5")
    assert (broken().kind, broken().sequence) == ("removed", 5)


def test_a_deleted_tail_is_named_against_the_checkpoint(ledger, tampering):
    raw("DELETE FROM consents_consentstate")  # it points at the last event
    raw("DELETE FROM consents_consentevent WHERE sequence >= 7")
    chain_break = broken()
    assert chain_break.kind == "truncated" and chain_break.sequence == 7
    assert "shorter than the checkpoint of" in chain_break.detail


def test_a_deleted_tail_after_the_last_checkpoint_is_named_by_the_head(ledger, subject, purpose):
    consent_give(subject=subject, purpose=purpose, method="web_form")
    with transaction.atomic():
        from consents import triggers

        triggers.drop(connection)
        raw("DELETE FROM consents_consentstate")
        raw("DELETE FROM consents_consentevent WHERE sequence = 9")
        triggers.create(connection)
    chain_break = broken()
    assert chain_break.kind == "truncated" and "head records 9 events" in chain_break.detail


def forge(event, *, previous_hash, key=None):
    """The event's canonical bytes under a hash the attacker can compute: SHA-256 unkeyed, or an
    HMAC under a key of their own."""
    data = canonical(event.content(), previous_hash, event.key_id)
    return keyed_hash(data, key) if key else hashlib.sha256(data).hexdigest()


def test_a_forged_append_with_a_computed_hash_is_named(ledger, tampering):
    last = ledger[-1]
    forged = ConsentEvent(
        sequence=9,
        subject_id=last.subject_id,
        purpose_id=last.purpose_id,
        action="given",
        occurred_at=last.occurred_at,
        recorded_at=last.recorded_at,
        method="web_form",
        reference="",
        key_id=last.key_id,
        previous_hash=last.hash,
    )
    forged.hash = forge(forged, previous_hash=last.hash)
    raw(
        "INSERT INTO consents_consentevent (sequence, subject_id, purpose_id, action, occurred_at,"
        " recorded_at, method, reference, previous_hash, key_id, hash) VALUES"
        " (9, %s, %s, 'given', %s, %s, 'web_form', '', %s, %s, %s)",
        [
            last.subject_id,
            last.purpose_id,
            last.occurred_at,
            last.recorded_at,
            last.hash,
            last.key_id,
            forged.hash,
        ],
    )
    raw("UPDATE consents_ledgerhead SET tree_size = 9, last_hash = %s", [forged.hash])
    assert (broken().kind, broken().sequence) == ("altered", 9)


@pytest.mark.parametrize("key", [None, b"the attacker's own key"], ids=["unkeyed", "wrong-key"])
def test_a_rewrite_from_an_event_with_recomputed_hashes_is_named(ledger, tampering, key):
    previous = ledger[2].hash
    for event in ledger[3:]:
        if event.sequence == 4:
            event.action = "given"  # the change the rewrite is meant to hide
        new_hash = forge(event, previous_hash=previous, key=key)
        raw(
            "UPDATE consents_consentevent SET action = %s, previous_hash = %s, hash = %s"
            " WHERE sequence = %s",
            [event.action, previous, new_hash, event.sequence],
        )
        previous = new_hash
    raw("UPDATE consents_ledgerhead SET last_hash = %s", [previous])
    chain_break = broken()
    assert (chain_break.kind, chain_break.sequence) == ("altered", 4)
    assert "keyed hash" in chain_break.detail


def test_a_truncated_ledger_is_shorter_than_the_checkpoint_outside_the_database(ledger, tampering):
    tables = (
        "consents_consentstate, consents_consentevent, consents_merklenode,"
        " consents_ledgercheckpoint, consents_ledgerhead"
    )
    if connection.vendor == "postgresql":
        raw("SET CONSTRAINTS ALL IMMEDIATE")  # no foreign-key check left pending
        raw(f"TRUNCATE {tables}")
    else:
        for table in tables.split(", "):
            raw(f"DELETE FROM {table}")
    chain_break = broken()
    assert chain_break.kind == "truncated"
    assert "the ledger is shorter than the checkpoint of" in chain_break.detail
    assert "(8 events)" in chain_break.detail
    with pytest.raises(CommandError, match="shorter than the checkpoint of"):
        call_command("verify_consent_ledger")


def test_a_replaced_checkpoint_in_the_database_is_named(ledger, tampering):
    checkpoint = LedgerCheckpoint.objects.get()
    raw("UPDATE consents_ledgercheckpoint SET root_hash = %s", ["a" * 64])
    chain_break = broken()
    assert chain_break.kind == "checkpoint" and "not signed" in chain_break.detail
    assert str(checkpoint.tree_size) in chain_break.detail


def test_a_replaced_checkpoint_outside_the_database_is_named(ledger):
    storage = anchor.store()
    _, files = storage.listdir(anchor.CHECKPOINTS)
    name = f"{anchor.CHECKPOINTS}/{files[0]}"
    with storage.open(name) as file:
        checkpoint = json.loads(file.read())
    storage.delete(name)
    storage.save(name, anchor.ContentFile(json.dumps({**checkpoint, "tree_size": 7}).encode()))
    chain_break = broken()
    assert chain_break.kind == "checkpoint" and "outside the database" in chain_break.detail


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no TRUNCATE")
def test_postgresql_refuses_to_truncate_the_ledger(ledger):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE consents_consentevent CASCADE")
    assert ConsentEvent.objects.count() == 8
