"""Taking in a request: the reference, both deadlines, the subject, the checklist and the
acknowledgement, in one transaction."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from consents.models import DataSubject
from requests_desk.models import DataSubjectRequest, OutboxMessage, RequestKind
from requests_desk.services import request_correct_contact
from tests.factories import open_request

pytestmark = pytest.mark.django_db

AMSTERDAM = timezone.get_default_timezone()


def at(day: str, hour=10) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), AMSTERDAM)


@time_machine.travel(at("2026-11-25", 12))
def test_access_gets_four_weeks_as_target_and_a_month_as_deadline(register):
    request = open_request(kind=RequestKind.ACCESS, received_at=at("2026-11-25"))
    assert request.due_on == dt.date(2026, 12, 28)
    assert request.target_on == dt.date(2026, 12, 23)


@time_machine.travel(at("2026-11-25", 12))
def test_an_opt_out_gets_twenty_working_days(register):
    request = open_request(
        kind=RequestKind.OBJECTION_DIRECT_MARKETING, received_at=at("2026-11-24")
    )
    assert request.target_on == dt.date(2026, 12, 22)


@time_machine.travel(at("2026-11-25", 12))
def test_a_request_received_late_in_the_evening_counts_from_its_dutch_date(register):
    late = dt.datetime(2026, 3, 8, 23, 30, tzinfo=dt.UTC)  # 00:30 on 9 March in Amsterdam
    request = open_request(received_at=late)
    assert request.due_on == dt.date(2026, 4, 9)


@time_machine.travel(at("2026-11-25", 12))
def test_references_are_gap_free_per_year(register):
    first = open_request(received_at=at("2026-01-05"))
    with pytest.raises(ValidationError):
        open_request(received_at=at("2026-02-05"), requester_name=" ")
    second = open_request(received_at=at("2026-02-05"))
    other_year = open_request(received_at=at("2025-12-31"))
    assert (first.reference, second.reference) == ("AVG-2026-00001", "AVG-2026-00002")
    assert other_year.reference == "AVG-2025-00001"


def test_the_request_is_matched_to_the_known_subject(register):
    first = open_request(requester_email="Joke@School.example ")
    second = open_request(requester_email="joke@school.example")
    assert first.subject == second.subject
    assert DataSubject.objects.count() == 1


def test_the_acknowledgement_is_queued_with_the_dates(register):
    request = open_request()
    message = OutboxMessage.objects.get(request=request)
    assert message.letter_kind == "acknowledgement" and message.to == "joke@school.example"
    assert request.reference in message.subject
    assert request.reference in message.body and "Joke de Vries" in message.body
    assert request.events.filter(kind="letter").exists()


def test_a_phone_request_without_e_mail_is_taken_in_without_a_letter(register):
    request = open_request(channel="phone", requester_email="", requester_phone="0612345678")
    assert request.subject is None
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"requester_name": ""}, "naam"),
        ({"requester_email": "", "requester_phone": ""}, "e-mailadres, telefoonnummer of adres"),
        ({"kind": "complaint"}, "soort"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(register, overrides, message):
    with pytest.raises(ValidationError, match=message):
        open_request(**overrides)
    assert not DataSubjectRequest.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_a_receipt_in_the_future_is_refused(register):
    with pytest.raises(ValidationError, match="toekomst"):
        open_request(received_at=timezone.now() + dt.timedelta(days=1))


def test_opening_a_request_runs_a_bounded_number_of_queries(
    register, django_assert_max_num_queries
):
    open_request()
    # Independent of the register's size: the checklist is two reads and one bulk insert.
    with django_assert_max_num_queries(25):
        open_request(requester_email="someone.else@school.example")


def test_a_missing_letter_template_is_put_back_from_the_default(register):
    from requests_desk.models import LetterTemplate

    LetterTemplate.objects.all().delete()
    request = open_request()
    assert OutboxMessage.objects.filter(request=request, letter_kind="acknowledgement").exists()
    assert LetterTemplate.objects.filter(kind="acknowledgement").exists()


# --- correcting the requester's contact details ------------------------------------------------


def test_a_corrected_e_mail_address_is_matched_to_its_subject_again(request_in_progress, agent):
    old_subject = request_in_progress.subject
    request = request_correct_contact(
        request=request_in_progress, by=agent, requester_email=" Joke.Devries@School.example "
    )
    assert request.requester_email == "joke.devries@school.example"
    assert request.subject != old_subject and request.subject.email == request.requester_email
    event = request.events.get(kind="note", data__corrected=["requester_email"])
    assert "e-mailadres verzoeker" in event.text and "joke.devries" not in event.text


def test_a_correction_that_changes_nothing_writes_nothing(request_in_progress, agent):
    events = request_in_progress.events.count()
    request_correct_contact(
        request=request_in_progress, by=agent, requester_name=request_in_progress.requester_name
    )
    assert request_in_progress.events.count() == events


def test_a_correction_leaving_no_way_to_reach_the_requester_is_refused(register, agent):
    request = open_request(channel="phone", requester_email="", requester_phone="0612345678")
    with pytest.raises(ValidationError, match="ten minste een e-mailadres"):
        request_correct_contact(request=request, by=agent, requester_phone="")
    request.refresh_from_db()
    assert request.requester_phone == "0612345678"
