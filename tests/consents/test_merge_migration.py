"""The data migration that merges existing duplicate subjects (consents 0006, issue 19): the four
spellings of one address, created before there was one normaliser, become one subject; every
ledger event stays and the ledger still verifies; the state follows the event that happened last
across the spellings; the merge is recorded; requests and later writes follow it."""

import datetime as dt
import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from consents.models import ConsentEvent, DataSubject
from consents.personal_data import SOURCE
from consents.selectors import ledger_verify, may_contact
from consents.services import consent_give, consent_withdraw, subject_get_or_create
from consents.sources import Person
from requests_desk.models import DataSubjectRequest
from tests.consents.conftest import clear_ledger
from tests.factories import DataSubjectFactory, open_request, purpose_with_wording

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("consents", "0005_subject_merged_into")]
SPELLINGS = [
    "x@bücher.example",
    "X@xn--bcher-kva.example",
    "x@bu\u0308cher.EXAMPLE",
    " x@Bücher.example ",
]
NORMAL = "x@xn--bcher-kva.example"


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.fixture
def ledger_cleared_after():
    yield
    clear_ledger()


def old_subject(spelling: str, **details) -> DataSubject:
    """A subject as the code before one normaliser stored it: the spelling as it came in."""
    return DataSubjectFactory(
        email=spelling, email_hash=hashlib.sha256(spelling.encode()).hexdigest(), **details
    )


def test_the_four_spellings_become_one_subject_keeping_every_event(ledger_cleared_after, register):
    purpose, other = purpose_with_wording(), purpose_with_wording(name="Post")
    day = timezone.now() - dt.timedelta(days=10)
    subjects = [
        old_subject(spelling, name=name, phone=phone)
        for spelling, name, phone in zip(
            SPELLINGS, ["", "X. de Vries", "", ""], ["", "", "0612345678", ""], strict=True
        )
    ]
    consent_give(subject=subjects[0], purpose=purpose, method="web_form", occurred_at=day)
    consent_withdraw(
        subject=subjects[2], purpose=purpose, method="phone", occurred_at=day + dt.timedelta(1)
    )
    consent_give(  # imported later, happened earlier: does not move the state back
        subject=subjects[3], purpose=purpose, method="import", occurred_at=day - dt.timedelta(1)
    )
    consent_give(subject=subjects[3], purpose=other, method="web_form", occurred_at=day)
    request = open_request(requester_email="ander@school.example")
    DataSubjectRequest.objects.filter(pk=request.pk).update(subject=subjects[2])
    events = list(ConsentEvent.objects.order_by("sequence").values_list("pk", "hash"))

    migrate(BEFORE)
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    survivor = DataSubject.objects.get(email=NORMAL)
    assert survivor.pk == subjects[0].pk  # none was in the normal form: the oldest stays
    assert (survivor.email, survivor.name, survivor.phone) == (NORMAL, "X. de Vries", "0612345678")
    merged = DataSubject.objects.filter(merged_into=survivor)
    assert merged.count() == 3
    assert set(merged.values_list("email", "name", "phone")) == {(None, "", "")}
    assert list(ConsentEvent.objects.order_by("sequence").values_list("pk", "hash")) == events
    assert ledger_verify() == (4, None)
    assert {subject_get_or_create(email=s).pk for s in SPELLINGS} == {survivor.pk}
    assert not any(may_contact(email=s, purpose=purpose) for s in SPELLINGS)  # withdrawn last
    assert all(may_contact(email=s, purpose=other) for s in SPELLINGS)
    assert survivor.consents.count() == 2
    reasons = set(DataSubject.history.values_list("history_change_reason", flat=True))
    assert any(r and r.startswith("Samengevoegd met betrokkene") for r in reasons)
    assert DataSubjectRequest.objects.get(pk=request.pk).subject_id == survivor.pk
    exported = SOURCE.export(Person(email="", subject=subjects[3]))
    assert len(exported["grootboek"]) == 4  # every spelling's events are the person's

    # A write that still holds an old spelling's row lands on the person.
    consent_give(
        subject=DataSubject.objects.get(pk=subjects[2].pk), purpose=purpose, method="web_form"
    )
    assert may_contact(email=NORMAL, purpose=purpose)
    assert ledger_verify() == (5, None)
