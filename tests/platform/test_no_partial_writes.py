"""A failure halfway through a service function leaves nothing behind: the last step of each
service is made to fail, and every table of the database holds exactly what it held before.
And the database's own constraints hold against raw SQL, past the ORM and its validation."""

import datetime as dt
from unittest import mock

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from consents.services import ImportRow, consent_give, consents_import
from requests_desk import services as desk
from tests.factories import DataSubjectFactory, open_request, purpose_with_wording

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


def fails_at_the_end(service, last_step, **kwargs):
    before = row_counts()
    with (
        mock.patch(last_step, side_effect=RuntimeError("the disk is full")),
        pytest.raises(RuntimeError),
    ):
        service(**kwargs)
    assert row_counts() == before


def test_taking_in_a_request(register):
    fails_at_the_end(
        desk.request_open,
        "requests_desk.services.intake.letter_queue",
        kind="access",
        channel="email",
        requester_name="Joke",
        requester_email="joke@school.example",
        received_at=timezone.now(),
    )


def test_completing_a_request(register, privacy_officer):
    request = desk.request_verify_identity(request=open_request(), method="email", by=None)
    fails_at_the_end(
        desk.request_complete,
        "requests_desk.services.status.letter_queue",
        request=request,
        by=privacy_officer,
        outcome="Klaar.",
        override_reason="Test.",
    )
    request.refresh_from_db()
    assert request.status == "in_progress"


def test_recording_a_consent(db):
    purpose = purpose_with_wording()
    subject = DataSubjectFactory()
    with mock.patch("consents.services._states_follow", side_effect=RuntimeError):
        before = row_counts()
        with pytest.raises(RuntimeError):
            consent_give(subject=subject, purpose=purpose, method="web_form")
        assert row_counts() == before


def test_importing_an_opt_in_list(db):
    purpose = purpose_with_wording()
    rows = [
        ImportRow(f"p{i}@school.example", "P", purpose, timezone.now(), "lijst") for i in range(5)
    ]
    with mock.patch("consents.services._states_follow", side_effect=RuntimeError):
        before = row_counts()
        with pytest.raises(RuntimeError):
            consents_import(rows=rows)
        assert row_counts() == before  # the subjects it created are gone too


def raw_copy(model, **values) -> None:
    """INSERT, in plain SQL, a copy of the model's first row with these values changed."""
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    row = model._base_manager.values(*[field.attname for field in fields]).first() | values
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {model._meta.db_table} ({columns}) "
            f"VALUES ({', '.join(['%s'] * len(fields))})",
            [field.get_db_prep_save(row[field.attname], connection) for field in fields],
        )


NOW = dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC)
# Per rule: the model, a valid copy's values (n keeps unique fields unique), what breaks the rule.
RULES = {
    "an erased subject keeps no address": (
        "consents.DataSubject",
        lambda n: {"email": None, "email_hash": f"{n:064d}", "erased_at": NOW},
        {"email": "terug@school.example"},
    ),
    "a legitimate interest is described": (
        "privacy_register.ProcessingActivity",
        lambda n: {
            "slug": f"kopie-{n}",
            "legal_basis": "legitimate_interest",
            "legitimate_interest": "Fraude voorkomen",
        },
        {"legitimate_interest": ""},
    ),
    "a closed request has its closing time": (
        "requests_desk.DataSubjectRequest",
        lambda n: {"reference": f"AVG-2026-9000{n}", "status": "completed", "closed_at": NOW},
        {"closed_at": None},
    ),
}


@pytest.mark.parametrize("rule", RULES)
def test_the_constraints_hold_against_raw_inserts(rule, register):
    open_request()
    DataSubjectFactory()
    label, valid, breaking = RULES[rule]
    model = apps.get_model(label)
    raw_copy(model, **valid(1))  # the control: a copy that keeps the rule goes in
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_copy(model, **(valid(2) | breaking))
