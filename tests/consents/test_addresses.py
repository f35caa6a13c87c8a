"""One identity per address: the Unicode spelling of a domain, its punycode form and its
decomposed spelling are one subject, in the ledger and for "may we contact?"."""

import pytest

from consents.addresses import normalise_email
from consents.selectors import may_contact
from consents.services import consent_give, consent_withdraw, subject_get_or_create

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
