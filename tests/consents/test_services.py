"""Giving, withdrawing and expiring consent; the current state; "may we contact?"."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from consents.models import ConsentEvent, ConsentPurposeVersion, ConsentState, DataSubject
from consents.selectors import ledger_verify, may_contact
from consents.services import (
    consent_give,
    consent_withdraw,
    consents_record,
    email_hash,
    normalise_email,
    subject_get_or_create,
)
from tests.factories import DataSubjectFactory, purpose_with_wording

pytestmark = pytest.mark.django_db


def test_addresses_are_normalised():
    assert normalise_email("  Joke@School.EXAMPLE ") == "joke@school.example"


def test_subject_get_or_create_finds_the_same_person_by_any_spelling():
    first = subject_get_or_create(email="Joke@School.example", name="Joke")
    again = subject_get_or_create(email=" joke@school.example", phone="0612345678")
    assert first == again and DataSubject.objects.count() == 1
    again.refresh_from_db()
    assert (again.name, again.phone) == ("Joke", "0612345678")


def test_a_bad_address_is_refused_in_dutch():
    with pytest.raises(ValidationError, match="geldig e-mailadres"):
        subject_get_or_create(email="geen-adres")


def test_consent_is_recorded_with_the_wording_shown_and_sets_the_state(subject, purpose, agent):
    event = consent_give(subject=subject, purpose=purpose, method="phone", recorded_by=agent)
    assert event.purpose_version.wording == "Ja, stuur mij de nieuwsbrief."
    assert event.recorded_by == agent
    assert ConsentState.objects.get(subject=subject, purpose=purpose).status == "given"
    assert may_contact(subject=subject, purpose=purpose)
    assert may_contact(email="JOKE@school.example", purpose=purpose)


def test_an_event_points_to_the_version_the_person_saw(subject, purpose):
    ConsentPurposeVersion.objects.create(purpose=purpose, number=2, wording="Nieuwe tekst")
    old = purpose.versions.get(number=1)
    event = consent_give(subject=subject, purpose=purpose, method="web_form", purpose_version=old)
    assert event.purpose_version == old
    newest = consent_give(subject=subject, purpose=purpose, method="web_form")
    assert newest.purpose_version.number == 2


def test_a_withdrawal_takes_effect_at_once(subject, purpose):
    consent_give(subject=subject, purpose=purpose, method="web_form")
    consent_withdraw(subject=subject, purpose=purpose, method="unsubscribe_link")
    assert not may_contact(subject=subject, purpose=purpose)


def test_an_expiry_is_a_ledger_event(subject, purpose):
    consent_give(subject=subject, purpose=purpose, method="web_form")
    [event] = consents_record(
        pairs=[(subject.pk, purpose.pk)], action="expired", method="system", reference="soft-opt-in"
    )
    assert (event.action, event.method, event.purpose_version) == (
        "expired",
        "system",
        purpose.versions.get(),
    )
    assert not may_contact(subject=subject, purpose=purpose)


def test_many_withdrawals_at_once_keep_one_chain_in_a_few_queries(
    purpose, django_assert_max_num_queries
):
    subjects = DataSubjectFactory.create_batch(300)
    for subject in subjects:
        consent_give(subject=subject, purpose=purpose, method="web_form")
    # The tree's head is read and written once per batch, and the subtrees it finished inserted;
    # one query finds the subjects merged into another (consents migration 0006); one more: the
    # webhook outbox asks who subscribed to the withdrawals (accounts.events).
    with django_assert_max_num_queries(15):
        consents_record(
            pairs=[(s.pk, purpose.pk) for s in subjects], action="withdrawn", method="request"
        )
    assert not any(may_contact(subject=s, purpose=purpose) for s in subjects)
    assert ledger_verify() == (600, None)


def test_consent_is_not_given_in_bulk(subject, purpose):
    with pytest.raises(ValueError):
        consents_record(pairs=[(subject.pk, purpose.pk)], action="given", method="import")


def test_restriction_and_erasure_stop_all_contact(subject, purpose):
    consent_give(subject=subject, purpose=purpose, method="web_form")
    subject.is_restricted = True
    subject.save()
    assert not may_contact(subject=subject, purpose=purpose)
    subject.is_restricted, subject.email, subject.erased_at = False, None, timezone.now()
    subject.save()
    assert not may_contact(subject=subject, purpose=purpose)
    assert not may_contact(email="joke@school.example", purpose=purpose)


def test_someone_erased_who_returns_keeps_their_opt_out(subject, purpose):
    consent_withdraw(subject=subject, purpose=purpose, method="unsubscribe_link")
    DataSubject.objects.filter(pk=subject.pk).update(email=None, erased_at=timezone.now())
    back = subject_get_or_create(email="joke@school.example")
    assert back.pk == subject.pk and back.email_hash == email_hash("joke@school.example")
    assert not may_contact(subject=back, purpose=purpose)


def test_nobody_is_contacted_without_a_state(subject, purpose):
    assert not may_contact(subject=subject, purpose=purpose)


def test_a_bad_method_or_a_future_date_writes_nothing(subject, purpose):
    with pytest.raises(ValidationError, match="verzamelwijze"):
        consent_give(subject=subject, purpose=purpose, method="telepathie")
    with pytest.raises(ValidationError, match="toekomst"):
        consent_give(
            subject=subject,
            purpose=purpose,
            method="web_form",
            occurred_at=timezone.now() + dt.timedelta(days=2),
        )
    assert not ConsentEvent.objects.exists() and not ConsentState.objects.exists()


def test_a_version_of_another_purpose_is_refused(subject, purpose):
    other = purpose_with_wording(wording="Andere tekst")
    with pytest.raises(ValidationError, match="ander doel"):
        consent_give(
            subject=subject,
            purpose=purpose,
            method="web_form",
            purpose_version=other.versions.get(),
        )


def test_recording_an_event_runs_a_small_fixed_number_of_queries(
    subject, purpose, django_assert_max_num_queries
):
    consent_give(subject=subject, purpose=purpose, method="web_form")
    # A savepoint, the wording, the chain head read and written, the insert, the state, the
    # webhook outbox's subscribers (and on PostgreSQL the lock).
    with django_assert_max_num_queries(9):
        consent_withdraw(subject=subject, purpose=purpose, method="web_form")


def test_may_contact_is_one_query(subject, purpose, django_assert_num_queries):
    consent_give(subject=subject, purpose=purpose, method="web_form")
    with django_assert_num_queries(1):
        assert may_contact(email="joke@school.example", purpose=purpose)


def test_an_older_consent_joins_the_ledger_without_undoing_a_later_opt_out(subject, purpose):
    consent_withdraw(subject=subject, purpose=purpose, method="unsubscribe_link")
    late_entry = timezone.now() - dt.timedelta(days=400)  # a paper form found in a drawer
    event = consent_give(subject=subject, purpose=purpose, method="paper", occurred_at=late_entry)
    assert ConsentEvent.objects.filter(pk=event.pk).exists()
    assert not may_contact(subject=subject, purpose=purpose)
    assert ConsentState.objects.get(subject=subject, purpose=purpose).status == "withdrawn"
