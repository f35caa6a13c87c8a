"""The ledger's bulk writes (`consents.bulk`): on PostgreSQL one statement of arrays per 5,000
rows, each instance given the id of its own row; elsewhere Django's `bulk_create`."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consents import bulk
from consents.models import ConsentEvent, ConsentState, DataSubject

pytestmark = pytest.mark.django_db


def test_every_instance_gets_the_id_of_its_own_row_and_none_stays_none(purpose):
    people = DataSubject.objects.bulk_create(
        DataSubject(email=f"b{i}@example.nl", email_hash=f"{i:064x}") for i in range(3)
    )
    now = timezone.now()
    events = [
        ConsentEvent(
            subject_id=person.pk,
            purpose_id=purpose.pk,
            action="given",
            occurred_at=now - dt.timedelta(minutes=i),
            recorded_at=now,
            method="web_form",
            reference=f"ref-{i}",
        )
        for i, person in enumerate(reversed(people))
    ]
    with CaptureQueriesContext(connection) as queries:
        bulk.insert(events)
    if connection.vendor == "postgresql":
        assert len(queries) == 1 and "unnest(" in queries[0]["sql"]
    stored = ConsentEvent.objects.in_bulk([e.pk for e in events])
    for event in events:
        row = stored[event.pk]
        assert (row.subject_id, row.reference, row.occurred_at) == (
            event.subject_id,
            event.reference,
            event.occurred_at,
        )
        assert (row.sequence, row.hash, row.purpose_version_id, row.recorded_by_id) == (
            None,
            None,
            None,
            None,
        )


def test_the_state_follows_the_event_that_happened_last(purpose, subject):
    now = timezone.now()
    first, later = (
        ConsentEvent(
            subject_id=subject.pk,
            purpose_id=purpose.pk,
            action=action,
            occurred_at=moment,
            recorded_at=now,
            method="web_form",
        )
        for action, moment in (("withdrawn", now), ("given", now - dt.timedelta(days=1)))
    )
    bulk.insert([first, later])
    bulk.states_upsert([(subject.pk, purpose.pk, "withdrawn", now, first.pk)])
    older = now - dt.timedelta(days=1)
    bulk.states_upsert([(subject.pk, purpose.pk, "given", older, later.pk)])  # older: no move
    state = ConsentState.objects.get(subject=subject, purpose=purpose)
    assert (state.status, state.last_event_id) == ("withdrawn", first.pk)


def test_any_of_finds_what_in_finds_as_one_array_parameter_on_postgresql():
    people = DataSubject.objects.bulk_create(
        DataSubject(email=f"a{i}@example.nl", email_hash=f"{i:064x}") for i in range(5)
    )
    wanted = [f"{i:064x}" for i in (1, 3, 3, 9)]  # a repeat, and one nobody has
    with CaptureQueriesContext(connection) as queries:
        found = set(DataSubject.objects.filter(bulk.AnyOf(F("email_hash"), wanted)))
    assert found == {people[1], people[3]}
    assert found == set(DataSubject.objects.filter(email_hash__in=wanted))
    if connection.vendor == "postgresql":
        assert "= ANY(" in queries[0]["sql"] and " IN (" not in queries[0]["sql"]
