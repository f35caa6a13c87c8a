"""Opt-outs need no identity check (LEGAL.md §4): an objection to direct marketing or a withdrawal
of consent is carried out by the close-out, verified or not, on every address and phone number
the request names, and an objection to direct marketing cannot be refused (Art. 21(3)). A request
closed because identity was never confirmed is not called "afgehandeld"."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from consents.selectors import may_contact
from consents.services import consent_give, subject_get_or_create
from requests_desk import jobs, workflow
from requests_desk.models import OutboxMessage, Status
from requests_desk.services import request_reject, request_transition
from tests.factories import open_request

pytestmark = pytest.mark.django_db
AMS = timezone.get_default_timezone()


def at(day, hour=9):
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), AMS)


@pytest.mark.parametrize("kind", ["objection_direct_marketing", "withdraw_consent"])
@pytest.mark.parametrize("step", ["new", "identity_pending"])
def test_an_unverified_opt_out_is_carried_out_and_completed(marketing, kind, step):
    subject = subject_get_or_create(email="joke@school.example")
    consent_give(subject=subject, purpose=marketing, method="web_form")
    request = open_request(kind=kind)
    if step == "identity_pending":
        request_transition(request=request, action="ask_identity", by=None)
    assert jobs.requests_close_out()["completed"] == 1
    request.refresh_from_db()
    assert request.status == Status.COMPLETED and not request.identity_verified
    assert not may_contact(subject=subject, purpose=marketing)
    assert OutboxMessage.objects.filter(request=request, letter_kind="completion").exists()


def test_every_address_and_phone_number_the_request_names_is_opted_out(marketing):
    by_mail = subject_get_or_create(email="joke@school.example")
    other = subject_get_or_create(email="j.devries@thuis.example")
    by_phone = subject_get_or_create(email="jdv@oud.example", phone="+31 6 1234 5678")
    stranger = subject_get_or_create(email="iemand@anders.example", phone="06-87654321")
    for subject in (by_mail, other, by_phone, stranger):
        consent_give(subject=subject, purpose=marketing, method="web_form")
    open_request(
        kind="objection_direct_marketing",
        requester_phone="06 12 34 56 78",
        description="Stop ook met mailen naar J.deVries@thuis.example, graag.",
    )
    jobs.requests_close_out()
    for subject in (by_mail, other, by_phone):
        assert not may_contact(subject=subject, purpose=marketing)
    assert may_contact(subject=stranger, purpose=marketing)


def test_a_phone_only_opt_out_is_carried_out_on_that_number(marketing):
    known = subject_get_or_create(email="bel@school.example", phone="0612345678")
    consent_give(subject=known, purpose=marketing, method="web_form")
    request = open_request(
        kind="objection_direct_marketing",
        channel="phone",
        requester_email="",
        requester_phone="+31 (0)6-12345678",
    )
    jobs.requests_close_out()
    request.refresh_from_db()
    assert request.status == Status.COMPLETED
    assert not may_contact(subject=known, purpose=marketing)


def test_the_close_out_is_within_the_promise_of_twenty_working_days(marketing):
    with time_machine.travel(at("2026-04-01")):
        request = open_request(kind="withdraw_consent", received_at=at("2026-04-01"))
        jobs.requests_close_out()
    request.refresh_from_db()
    assert request.closed_at.date() <= request.target_on


def test_an_objection_to_direct_marketing_cannot_be_rejected(register, privacy_officer):
    request = open_request(kind="objection_direct_marketing")
    with pytest.raises(ValidationError) as refused:
        request_reject(request=request, reasons="Wij willen blijven mailen.", by=privacy_officer)
    assert refused.value.code == "objection_not_refusable"
    assert "kan niet worden afgewezen (art. 21 lid 3 AVG)" in refused.value.messages[0]
    assert "reject" not in [t.action for t in workflow.actions_for(request, privacy_officer)]
    request.refresh_from_db()
    assert request.status == Status.NEW


def test_an_agent_may_start_an_opt_out_without_an_identity_check(register, agent):
    request = open_request(kind="withdraw_consent")
    request = request_transition(request=request, action="start", by=agent)
    assert request.status == Status.IN_PROGRESS
    access = open_request(kind="access")
    with pytest.raises(ValidationError):
        request_transition(request=access, action="start", by=agent)


def test_a_request_closed_for_want_of_identity_is_not_called_handled(register, settings):
    settings.DESK_IDENTITY_TIMEOUT_DAYS = 21
    with time_machine.travel(at("2026-10-01")):
        request = open_request(received_at=at("2026-10-01"))
        request_transition(request=request, action="ask_identity", by=None)
    with time_machine.travel(at("2026-10-23")):
        assert jobs.requests_close_out()["closed_unverified"] == 1
    letter = OutboxMessage.objects.get(request=request, letter_kind="identity_timeout")
    assert "afgehandeld" not in (letter.subject + letter.body).lower()
    assert "niet uitgevoerd" in letter.body
    assert "Autoriteit Persoonsgegevens" in letter.body and "rechter" in letter.body
    assert not OutboxMessage.objects.filter(request=request, letter_kind="completion").exists()


def test_an_unverified_opt_out_is_never_closed_for_want_of_identity(marketing, settings):
    settings.DESK_IDENTITY_TIMEOUT_DAYS = 21
    with time_machine.travel(at("2026-10-01")):
        request = open_request(kind="withdraw_consent", received_at=at("2026-10-01"))
        request_transition(request=request, action="ask_identity", by=None)
    with time_machine.travel(at("2026-10-23")):
        assert jobs.requests_close_out() == {"completed": 1, "closed_unverified": 0}
    request.refresh_from_db()
    assert request.status == Status.COMPLETED
