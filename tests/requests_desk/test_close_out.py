"""The close-out job (`jobs.requests_close_out`): opt-outs carried out on the ledger and
completed; requests whose identity never came closed after the timeout."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from consents.selectors import may_contact
from consents.services import consent_give, subject_get_or_create
from requests_desk import jobs
from requests_desk.models import OutboxMessage, Status
from requests_desk.services import request_transition, request_verify_identity
from tests.factories import open_request

pytestmark = pytest.mark.django_db
AMS = timezone.get_default_timezone()


def at(day, hour=9):
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), AMS)


def test_a_verified_objection_is_carried_out_on_the_ledger_and_completed(marketing, agent):
    subject = subject_get_or_create(email="joke@school.example")
    consent_give(subject=subject, purpose=marketing, method="web_form")
    request = open_request(kind="objection_direct_marketing")
    request_verify_identity(request=request, method="email", by=agent)
    assert jobs.requests_close_out() == {"completed": 1, "closed_unverified": 0}
    request.refresh_from_db()
    assert request.status == Status.COMPLETED
    assert not may_contact(subject=subject, purpose=marketing)
    assert OutboxMessage.objects.filter(request=request, letter_kind="completion").exists()
    assert jobs.requests_close_out() == {"completed": 0, "closed_unverified": 0}


def test_an_unverified_objection_is_carried_out_too(marketing):
    """No identity check for an opt-out (LEGAL.md §4): test_opt_outs_unverified.py says more."""
    open_request(kind="objection_direct_marketing")
    assert jobs.requests_close_out()["completed"] == 1


def test_a_request_whose_identity_never_came_is_closed_after_the_timeout(register, settings):
    settings.DESK_IDENTITY_TIMEOUT_DAYS = 21
    with time_machine.travel(at("2026-10-01")):
        request = open_request(received_at=at("2026-10-01"))
        request_transition(request=request, action="ask_identity", by=None)
    with time_machine.travel(at("2026-10-22", 8)):
        assert jobs.requests_close_out()["closed_unverified"] == 0
    with time_machine.travel(at("2026-10-22", 11)):
        assert jobs.requests_close_out()["closed_unverified"] == 1
    request.refresh_from_db()
    assert request.status == Status.WITHDRAWN
    letter = OutboxMessage.objects.get(request=request, letter_kind="identity_timeout")
    assert "geen bevestiging van uw identiteit" in letter.body


def test_the_identity_timeout_counts_from_the_day_the_identity_was_asked(register, settings):
    settings.DESK_IDENTITY_TIMEOUT_DAYS = 21
    with time_machine.travel(at("2026-10-01")):
        request = open_request(received_at=at("2026-10-01"))
    with time_machine.travel(at("2026-10-08")):
        request_transition(request=request, action="ask_identity", by=None)
    with time_machine.travel(at("2026-10-23")):  # 22 days after receipt, 15 after asking
        assert jobs.requests_close_out()["closed_unverified"] == 0
    with time_machine.travel(at("2026-10-29", 8)):
        assert jobs.requests_close_out()["closed_unverified"] == 0
    with time_machine.travel(at("2026-10-29", 11)):
        assert jobs.requests_close_out()["closed_unverified"] == 1
    request.refresh_from_db()
    assert request.status == Status.WITHDRAWN
