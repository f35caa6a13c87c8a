"""The ledger: append-only at the model and in the database, chained by hashes, and verifiable."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from consents.ledger_hash import GENESIS
from consents.models import AppendOnly, ConsentEvent
from consents.selectors import ledger_verify
from consents.services import consent_give, consent_withdraw

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_events(subject, purpose):
    for i in range(5):
        action = consent_give if i % 2 == 0 else consent_withdraw
        action(subject=subject, purpose=purpose, method="web_form", reference=f"campagne-{i}")
    return list(ConsentEvent.objects.order_by("sequence"))


def test_each_event_chains_to_the_one_before(five_events):
    assert five_events[0].previous_hash == GENESIS
    for before, after in zip(five_events, five_events[1:], strict=False):
        assert after.previous_hash == before.hash
        assert after.sequence == before.sequence + 1


def test_an_intact_ledger_verifies(five_events, capsys):
    call_command("verify_consent_ledger")
    assert "5 events verified" in capsys.readouterr().out


def test_the_model_refuses_to_change_or_delete_an_event(five_events):
    event = five_events[0]
    event.reference = "anders"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE consents_consentevent SET reference = 'anders'",
        "DELETE FROM consents_consentevent",
    ],
)
def test_the_database_refuses_update_and_delete(five_events, statement):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert ConsentEvent.objects.filter(reference="anders").count() == 0
    assert ConsentEvent.objects.count() == 5


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_verify_names_an_altered_event(five_events, tampering):
    raw("UPDATE consents_consentevent SET action = 'given' WHERE sequence = 2")
    with pytest.raises(CommandError, match=r"altered: event #2"):
        call_command("verify_consent_ledger")


def test_verify_names_a_removed_event(five_events, tampering):
    raw("DELETE FROM consents_consentevent WHERE sequence = 3")
    _, chain_break = ledger_verify()
    assert (chain_break.kind, chain_break.sequence) == ("removed", 3)
    with pytest.raises(CommandError, match=r"removed: event #3"):
        call_command("verify_consent_ledger")


def test_verify_names_an_inserted_event(five_events, tampering):
    # Make room after #2 and slip an event in: everything from #3 on is renumbered.
    last = five_events[-1]
    raw("UPDATE consents_consentevent SET sequence = sequence + 100 WHERE sequence >= 3")
    raw("UPDATE consents_consentevent SET sequence = sequence - 99 WHERE sequence >= 103")
    raw(
        "INSERT INTO consents_consentevent (sequence, subject_id, purpose_id, action, occurred_at,"
        " recorded_at, method, reference, previous_hash, key_id, hash) VALUES"
        " (3, %s, %s, 'given', %s, %s, 'web_form', 'vervalst', %s, '', %s)",
        [last.subject_id, last.purpose_id, last.occurred_at, last.recorded_at, "f" * 64, "e" * 64],
    )
    _, chain_break = ledger_verify()
    assert (chain_break.kind, chain_break.sequence) == ("inserted", 3)


def test_verify_names_an_event_appended_by_hand(five_events, tampering):
    last = five_events[-1]
    raw(
        "INSERT INTO consents_consentevent (sequence, subject_id, purpose_id, action, occurred_at,"
        " recorded_at, method, reference, previous_hash, key_id, hash) VALUES"
        " (6, %s, %s, 'given', %s, %s, 'web_form', '', %s, %s, %s)",
        [
            last.subject_id,
            last.purpose_id,
            last.occurred_at,
            last.recorded_at,
            last.hash,
            last.key_id,
            "d" * 64,
        ],
    )
    _, chain_break = ledger_verify()
    assert (chain_break.kind, chain_break.sequence) == ("altered", 6)
