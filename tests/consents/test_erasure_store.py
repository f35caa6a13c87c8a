"""Every erasure is also recorded outside the database (keyed hash and time, no personal data);
`replay_erasures` erases again whoever a restored database brings back."""

import json

import pytest
from django.core.management import call_command

from consents import anchor
from consents.models import DataSubject
from subject_rights.sources import Person, sources
from tests.factories import DataSubjectFactory

pytestmark = pytest.mark.django_db


def erase(subject):
    for source in sources():
        source.erase(Person(email=subject.email, subject=subject), by=None, reason="test")


def test_an_erasure_is_recorded_outside_the_database_without_personal_data(ledger_keys):
    subject = DataSubjectFactory(email="weg@school.example", name="Wil Weg")
    erase(subject)
    [record] = anchor.erasures_read()
    assert set(record) == {"email_hash", "erased_at"}
    assert record["email_hash"] == subject.email_hash
    stored = "".join(p.read_text() for p in ledger_keys.rglob("*.json"))
    assert "weg@" not in stored and "Wil" not in stored and json.loads(stored)


def test_replay_erases_again_whom_an_older_database_still_holds(capsys):
    subject = DataSubjectFactory(email="weg@school.example", name="Wil Weg")
    erase(subject)
    # As the backup from before the erasure held them:
    DataSubject.objects.filter(pk=subject.pk).update(
        email="weg@school.example", name="Wil Weg", erased_at=None
    )
    call_command("replay_erasures")
    call_command("replay_erasures")  # idempotent
    subject.refresh_from_db()
    assert subject.email is None and subject.name == "" and subject.erased_at is not None
    assert capsys.readouterr().out.count("Erasures replayed: 1.") == 1
