"""The data migration that merges existing duplicate subjects (consents 0006, issue 19): the
spellings of one address that the code before one normaliser kept apart — rows built as it built
them, with the keyed hash of the spelling — become one subject; every ledger event stays and the
ledger still verifies; the state follows the event that happened last across the spellings; the
merge is recorded; requests and later writes follow it. A `+tag` address stays its own subject
(its opt-out holds for the plain one); a row erased under one spelling is merged with its person
who came back under another."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from consents.models import ConsentEvent, DataSubject
from consents.personal_data import SOURCE
from consents.selectors import ledger_verify, may_contact
from consents.services import (
    _append,
    consent_give,
    consent_withdraw,
    email_hash,
    ledger_integrate,
    subject_get_or_create,
)
from consents.sources import Person
from requests_desk.models import DataSubjectRequest
from tests.consents.conftest import clear_ledger, legacy_email_hash, migrate, migrate_forward
from tests.factories import DataSubjectFactory, open_request, purpose_with_wording

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("consents", "0005_subject_merged_into")]
# The spellings the code before one normaliser kept apart (it only trimmed and lower-cased):
# the domain in Unicode, in punycode, decomposed — and with a `+tag`.
SPELLINGS = ["x@bücher.example", "X@xn--bcher-kva.example", "x@bu\u0308cher.EXAMPLE"]
TAGGED = "x+tag@Bücher.example"
NORMAL = "x@xn--bcher-kva.example"


@pytest.fixture
def ledger_cleared_after():
    yield
    migrate_forward()  # if the test stopped on the old schema
    clear_ledger()


def old_subject(spelling: str, **details) -> DataSubject:
    """A subject as the code before one normaliser stored it: the spelling trimmed and lower-
    cased, and the keyed hash of that (`legacy_email_hash`), not of the normal form."""
    spelt = spelling.strip().lower()
    return DataSubjectFactory(email=spelt, email_hash=legacy_email_hash(spelt), **details)


def test_the_spellings_become_one_subject_keeping_every_event(ledger_cleared_after, register):
    purpose, other = purpose_with_wording(), purpose_with_wording(name="Post")
    day = timezone.now() - dt.timedelta(days=10)
    subjects = [
        old_subject(spelling, name=name, phone=phone)
        for spelling, name, phone in zip(
            SPELLINGS, ["", "X. de Vries", ""], ["", "", "0612345678"], strict=True
        )
    ]
    tagged = old_subject(TAGGED, name="")
    consent_give(subject=subjects[0], purpose=purpose, method="web_form", occurred_at=day)
    consent_withdraw(
        subject=subjects[2], purpose=purpose, method="phone", occurred_at=day + dt.timedelta(1)
    )
    consent_give(  # imported later, happened earlier: does not move the state back
        subject=subjects[1], purpose=purpose, method="import", occurred_at=day - dt.timedelta(1)
    )
    consent_give(subject=subjects[1], purpose=other, method="web_form", occurred_at=day)
    consent_give(subject=tagged, purpose=other, method="web_form", occurred_at=day)
    request = open_request(requester_email="ander@school.example")
    DataSubjectRequest.objects.filter(pk=request.pk).update(subject=subjects[2])
    events = list(ConsentEvent.objects.order_by("sequence").values_list("pk", "hash"))

    old = migrate(BEFORE)
    # One more, made under the old schema: someone erased under the decomposed spelling of
    # another address, whose person has not come back — no live spelling, so no merge.
    old.get_model("consents", "DataSubject").objects.create(
        email=None, email_hash=legacy_email_hash("y@bu\u0308cher.example"), erased_at=day
    )
    migrate_forward()

    # The punycode row holds the normal address's hash (the old code lower-cased it): it stays.
    survivor = DataSubject.objects.get(email=NORMAL)
    assert survivor.pk == subjects[1].pk and survivor.email_hash == email_hash(NORMAL)
    assert (survivor.name, survivor.phone) == ("X. de Vries", "0612345678")
    assert survivor.created_at == subjects[0].created_at  # the person is as old as their first row
    merged = DataSubject.objects.filter(merged_into=survivor)
    assert set(merged.values_list("pk", flat=True)) == {subjects[0].pk, subjects[2].pk}
    assert set(merged.values_list("email", "name", "phone")) == {(None, "", "")}
    assert list(ConsentEvent.objects.order_by("sequence").values_list("pk", "hash")) == events
    assert ledger_verify() == (5, None)
    assert {subject_get_or_create(email=s).pk for s in [*SPELLINGS, f" {NORMAL.upper()} "]} == {
        survivor.pk
    }
    assert not any(may_contact(email=s, purpose=purpose) for s in SPELLINGS)  # withdrawn last
    assert all(may_contact(email=s, purpose=other) for s in SPELLINGS)
    assert survivor.consents.count() == 2
    reasons = set(DataSubject.history.values_list("history_change_reason", flat=True))
    assert any(r and r.startswith("Samengevoegd met betrokkene") for r in reasons)
    assert DataSubjectRequest.objects.get(pk=request.pk).subject_id == survivor.pk
    exported = SOURCE.export(Person(email="", subject=subjects[2]))
    assert len(exported["grootboek"]) == 4  # every spelling's events are the person's

    # The tagged address is another subject (a consent under it is not one for the plain
    # address), now in the normal form, re-keyed; its opt-out holds for the plain one too.
    tagged.refresh_from_db()
    assert (tagged.email, tagged.merged_into_id) == ("x+tag@xn--bcher-kva.example", None)
    assert tagged.email_hash == email_hash(TAGGED)
    assert subject_get_or_create(email=TAGGED).pk == tagged.pk
    consent_withdraw(subject=tagged, purpose=other, method="unsubscribe_link")
    assert not any(may_contact(email=s, purpose=other) for s in [*SPELLINGS, TAGGED])

    # A write that still holds an old spelling's row lands on the person.
    consent_give(
        subject=DataSubject.objects.get(pk=subjects[2].pk), purpose=purpose, method="web_form"
    )
    assert may_contact(email=NORMAL, purpose=purpose)
    assert ledger_verify() == (8, None)
    assert DataSubject.objects.filter(erased_at__isnull=False, merged_into=None).count() == 1


def test_a_person_erased_under_one_spelling_and_back_under_another_is_one_subject(
    ledger_cleared_after, register
):
    """The old code gave the returning person a new row; their erased row, with the opt-out
    they made, holds the normal address's hash. The erased row comes back with the new row's
    details — as the services give it back to someone who returns — and the opt-out holds."""
    purpose = purpose_with_wording()
    day = timezone.now() - dt.timedelta(days=30)
    erased = old_subject("x@xn--bcher-kva.example", name="X. de Vries")
    consent_give(subject=erased, purpose=purpose, method="web_form", occurred_at=day)
    consent_withdraw(
        subject=erased,
        purpose=purpose,
        method="unsubscribe_link",
        occurred_at=day + dt.timedelta(1),
    )
    DataSubject.objects.filter(pk=erased.pk).update(email=None, name="", erased_at=day)
    erased_nfd = old_subject("x@bu\u0308cher.example")  # erased too, under a third spelling
    DataSubject.objects.filter(pk=erased_nfd.pk).update(email=None, name="", erased_at=day)

    old = migrate(BEFORE)
    back = old.get_model(
        "consents", "DataSubject"
    ).objects.create(  # made by the old code, under 0005
        email="x@bücher.example",
        email_hash=legacy_email_hash("x@bücher.example"),
        name="Xandra de Vries",
    )
    migrate_forward()

    person = DataSubject.objects.get(email=NORMAL)
    assert person.pk == erased.pk and person.erased_at is None
    assert (person.name, person.email_hash) == ("Xandra de Vries", email_hash(NORMAL))
    assert set(DataSubject.objects.filter(merged_into=person).values_list("pk", flat=True)) == {
        back.pk,
        erased_nfd.pk,
    }
    assert not any(may_contact(email=s, purpose=purpose) for s in SPELLINGS)
    assert {subject_get_or_create(email=s).pk for s in SPELLINGS} == {person.pk}
    assert ledger_verify() == (2, None)


def test_an_opt_out_under_a_tag_recorded_before_holds_for_the_plain_address(
    ledger_cleared_after, register
):
    """Consents 0011: the withdrawals the code before recorded under `x+tag@…` alone (the ledger's
    `_append`, as `consent_withdraw` was then) get their plain address's withdrawal; a consent
    the plain address gave after the tagged opt-out stands."""
    newsletter, post = purpose_with_wording(), purpose_with_wording(name="Post")
    day = timezone.now() - dt.timedelta(days=20)
    plain = subject_get_or_create(email="juf@school.example")
    tagged = subject_get_or_create(email="juf+nieuws@school.example")
    for purpose in (newsletter, post):
        consent_give(subject=plain, purpose=purpose, method="web_form", occurred_at=day)
        with transaction.atomic():  # as the services call it
            _append(
                subject=tagged,
                purpose=purpose,
                action="withdrawn",
                method="unsubscribe_link",
                occurred_at=day + dt.timedelta(days=1),
            )
    # The post consent was given again after the tagged opt-out: it stands.
    consent_give(
        subject=plain, purpose=post, method="web_form", occurred_at=day + dt.timedelta(days=2)
    )
    assert may_contact(email="juf@school.example", purpose=newsletter)  # the gap, before 0011
    opt_out = ConsentEvent.objects.get(subject=tagged, purpose=newsletter)

    migrate([("consents", "0010_merge_0009_admin_list_indexes_0009_subject_phone_e164")])
    migrate_forward()

    assert not may_contact(email="juf@school.example", purpose=newsletter)
    assert may_contact(email="juf@school.example", purpose=post)
    added = ConsentEvent.objects.get(subject=plain, purpose=newsletter, action="withdrawn")
    assert (added.occurred_at, added.method) == (opt_out.occurred_at, "unsubscribe_link")
    assert f"#{opt_out.pk}" in added.reference and "juf" not in added.reference
    assert ConsentEvent.objects.filter(subject=plain).count() == 4  # nothing else written
    migrate([("consents", "0010_merge_0009_admin_list_indexes_0009_subject_phone_e164")])
    migrate_forward()  # run again: nothing more to do
    assert ConsentEvent.objects.filter(subject=plain).count() == 4
    ledger_integrate()
    assert ledger_verify() == (ConsentEvent.objects.count(), None)
