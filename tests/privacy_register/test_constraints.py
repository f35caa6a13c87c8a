"""What the database itself guarantees about the register."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from privacy_register.models import (
    Controller,
    ProcessingActivity,
    Processor,
    ProcessorAgreement,
    PublishedStatement,
)

pytestmark = pytest.mark.django_db


def activity(**overrides):
    values = {
        "slug": "test",
        "name": "Test",
        "purposes": "Testen",
        "legal_basis": "consent",
        "retention_event": "until_opt_out",
    }
    values.update(overrides)
    return ProcessingActivity(**values)


def refused(obj):
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()


def test_a_legitimate_interest_must_be_described():
    refused(activity(legal_basis="legitimate_interest", legitimate_interest=""))
    activity(legal_basis="legitimate_interest", legitimate_interest="Fraude voorkomen").save()


def test_the_model_says_so_in_dutch_too():
    with pytest.raises(ValidationError, match="gerechtvaardigd belang"):
        activity(legal_basis="legitimate_interest").full_clean()


@pytest.mark.parametrize(
    "retention",
    [
        {"retention_event": "", "status": "active"},  # no rule at all for an active activity
        {"retention_event": "last_purchase", "retention_months": None},  # an event, no duration
        {"retention_event": "until_opt_out", "retention_months": 12},  # opt-out has no duration
    ],
)
def test_retention_is_a_rule(retention):
    refused(activity(**retention))


def test_a_draft_may_leave_retention_open():
    activity(retention_event="", status="draft").save()


def test_a_dpia_is_done_only_when_needed():
    refused(activity(dpia_needed=False, dpia_done_on=dt.date(2026, 1, 1)))


def test_an_agreement_expires_after_it_is_signed():
    processor = Processor.objects.create(name="Mailer", kind="technical")
    refused(
        ProcessorAgreement(
            processor=processor,
            signed_on=dt.date(2026, 1, 1),
            expires_on=dt.date(2025, 1, 1),
            document_reference="VO-1",
        )
    )


def test_a_kvk_number_has_eight_digits():
    refused(Controller(name="X", address="Y", kvk_number="1234", email="x@y.example"))


def test_a_published_statement_is_never_changed_or_deleted():
    statement = PublishedStatement.objects.create(version=1, content="<p>v1</p>")
    statement.content = "<p>anders</p>"
    with pytest.raises(ValidationError):
        statement.save()
    with pytest.raises(ValidationError):
        statement.delete()
