"""The soft opt-in expiry job (consents/jobs.py): two years after the last purchase."""

import datetime as dt

import pytest

from consents import jobs
from consents.selectors import may_contact
from consents.services import consent_give, subject_get_or_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("customer_until", "expires"),
    [("2024-11-26", False), ("2024-11-25", False), ("2024-11-24", True)],
)
def test_the_soft_opt_in_expires_two_years_after_the_last_purchase(
    marketing, customer_until, expires
):
    subject = subject_get_or_create(email="klant@school.example")
    subject.customer_until = dt.date.fromisoformat(customer_until)
    subject.save()
    consent_give(subject=subject, purpose=marketing, method="web_form")
    assert jobs.soft_opt_in_expire(today=dt.date(2026, 11, 25)) == int(expires)
    assert may_contact(subject=subject, purpose=marketing) is not expires
    assert jobs.soft_opt_in_expire(today=dt.date(2026, 11, 25)) == 0


def test_the_database_writes_a_lapse_once(marketing):
    """The backstop behind the job lock: a second event for the same lapse is refused."""
    from django.db import IntegrityError, transaction

    from consents.services import consents_record

    subject = subject_get_or_create(email="klant@school.example")
    given = consent_give(subject=subject, purpose=marketing, method="web_form")
    pair = (subject.pk, marketing.pk)
    lapse = {pair: f"soft-opt-in:{given.pk}"}
    consents_record(pairs=[pair], action="expired", method="system", references=lapse)
    with pytest.raises(IntegrityError), transaction.atomic():
        consents_record(pairs=[pair], action="expired", method="system", references=lapse)


def test_a_lapse_names_the_consent_that_lapsed(marketing):
    subject = subject_get_or_create(email="klant@school.example")
    subject.customer_until = dt.date(2020, 1, 1)
    subject.save()
    given = consent_give(subject=subject, purpose=marketing, method="web_form")
    assert jobs.soft_opt_in_expire(today=dt.date(2026, 11, 25)) == 1
    assert subject.consent_events.get(action="expired").reference == f"soft-opt-in:{given.pk}"
