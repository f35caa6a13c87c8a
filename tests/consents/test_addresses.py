"""One identity per address: the Unicode spelling of a domain, its punycode form and its
decomposed spelling are one subject, in the ledger and for "may we contact?"."""

import pytest

from consents.addresses import normalise_email, untagged
from consents.selectors import ledger_verify, may_contact
from consents.services import (
    consent_give,
    consent_withdraw,
    consents_record,
    subject_get_or_create,
)

SPELLINGS = [
    "x@bücher.example",
    "X@xn--bcher-kva.example",
    "x@bu\u0308cher.EXAMPLE",
    " x@Bücher.example ",
]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_normalises_to_the_idna_form(spelling):
    assert normalise_email(spelling) == "x@xn--bcher-kva.example"


def test_what_is_not_an_address_is_only_trimmed_and_lowered():
    assert normalise_email("  Geen Adres ") == "geen adres"


@pytest.mark.django_db
def test_the_spellings_are_one_subject_and_an_opt_out_under_one_holds_for_all(purpose):
    subjects = {subject_get_or_create(email=spelling).pk for spelling in SPELLINGS}
    assert len(subjects) == 1
    subject = subject_get_or_create(email=SPELLINGS[0])
    consent_give(subject=subject, purpose=purpose, method="web_form")
    assert all(may_contact(email=spelling, purpose=purpose) for spelling in SPELLINGS)
    consent_withdraw(
        subject=subject_get_or_create(email=SPELLINGS[2]), purpose=purpose, method="phone"
    )
    assert not any(may_contact(email=spelling, purpose=purpose) for spelling in SPELLINGS)


def test_a_tagged_address_is_untagged_for_the_opt_out():
    assert untagged("X+Nieuwsbrief@Bücher.example") == "x@xn--bcher-kva.example"
    assert untagged("x@bücher.example") is None


@pytest.mark.django_db
def test_an_opt_out_under_a_tag_also_holds_for_the_untagged_address(purpose):
    plain = subject_get_or_create(email="x@bücher.example")
    tagged = subject_get_or_create(email="x+nieuwsbrief@bücher.example")
    for subject in (plain, tagged):
        consent_give(subject=subject, purpose=purpose, method="web_form")
    consent_withdraw(subject=tagged, purpose=purpose, method="unsubscribe_link")
    assert not may_contact(email="x@bücher.example", purpose=purpose)
    assert not may_contact(email="x+nieuwsbrief@bücher.example", purpose=purpose)


@pytest.mark.django_db
def test_a_batch_of_opt_outs_under_tags_holds_for_the_untagged_addresses(purpose):
    plain = subject_get_or_create(email="y@school.example")
    tagged = subject_get_or_create(email="y+a@school.example")
    for subject in (plain, tagged):
        consent_give(subject=subject, purpose=purpose, method="web_form")
    consents_record(pairs=[(tagged.pk, purpose.pk)], action="withdrawn", method="request")
    assert not may_contact(email="y@school.example", purpose=purpose)
    assert ledger_verify() == (4, None)
