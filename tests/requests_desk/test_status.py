"""Working a request (requests_desk.services.status): identity, assignment, completion, extension,
rejection."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from requests_desk.models import OutboxMessage, Status
from requests_desk.services import (
    request_assign,
    request_complete,
    request_extend,
    request_note,
    request_reject,
    request_transition,
    request_verify_identity,
    task_complete,
)
from tests.factories import UserFactory, open_request

pytestmark = pytest.mark.django_db
AMSTERDAM = timezone.get_default_timezone()


def at(day: str, hour=10) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), AMSTERDAM)


def test_verifying_identity_records_only_the_method_and_starts_the_work(register, agent):
    request = request_verify_identity(request=open_request(), method="email", by=agent)
    assert request.status == Status.IN_PROGRESS
    assert (request.identity_method, request.identity_verified_by) == ("email", agent)
    event = request.events.get(kind="identity")
    assert event.data == {"method": "email"}


def test_an_unknown_verification_method_is_refused(register, agent):
    with pytest.raises(ValidationError, match="Kies hoe"):
        request_verify_identity(request=open_request(), method="paspoortkopie", by=agent)


def test_the_checklist_comes_from_the_register(request_in_progress):
    assert request_in_progress.tasks.count() > 0


def test_completing_with_open_tasks_is_refused(request_in_progress, agent):
    with pytest.raises(ValidationError, match="open taken"):
        request_complete(request=request_in_progress, by=agent, outcome="Overzicht gestuurd.")


def test_an_agent_cannot_override_open_tasks(request_in_progress, agent):
    with pytest.raises(ValidationError, match="Alleen de privacy officer"):
        request_complete(
            request=request_in_progress, by=agent, outcome="Klaar.", override_reason="Haast."
        )


def test_the_privacy_officer_may_override_with_a_reason(request_in_progress, privacy_officer):
    request = request_complete(
        request=request_in_progress,
        by=privacy_officer,
        outcome="Overzicht gestuurd.",
        override_reason="Systeem X is uitgefaseerd.",
    )
    assert request.status == Status.COMPLETED and request.closed_at
    assert request.events.filter(kind="override").exists()


def test_completing_after_ticking_every_task_sends_the_completion_letter(
    request_in_progress, agent
):
    for task in request_in_progress.tasks.all():
        task_complete(task=task, by=agent)
    request = request_complete(
        request=request_in_progress, by=agent, outcome="U ontvangt het overzicht als bijlage."
    )
    assert request.status == Status.COMPLETED
    letter = OutboxMessage.objects.get(request=request, letter_kind="completion")
    assert "U ontvangt het overzicht als bijlage." in letter.body


def test_assigning_to_someone_without_the_desk_role_is_refused(request_in_progress, agent):
    with pytest.raises(ValidationError, match="kan geen verzoeken behandelen"):
        request_assign(request=request_in_progress, assignee=UserFactory(), by=agent)
    request_assign(request=request_in_progress, assignee=agent, by=agent)
    assert request_in_progress.assignee == agent


def test_an_empty_note_is_refused(request_in_progress, agent):
    with pytest.raises(ValidationError):
        request_note(request=request_in_progress, text="  ", by=agent)


# --- extension (Art. 12(3)) -------------------------------------------------------------------


@pytest.fixture
def january_request(register, agent):
    with time_machine.travel(at("2026-01-31", 12)):
        return open_request(received_at=at("2026-01-31"))


def test_the_officer_extends_within_the_first_month_with_the_letter(
    january_request, privacy_officer
):
    with time_machine.travel(at("2026-03-02", 12)):  # the last day of the first month
        request = request_extend(
            request=january_request, reason="Veel systemen.", by=privacy_officer
        )
    # The earlier reading of "two further months" (LEGAL.md §1.5): 28 Feb + 2 months.
    assert request.extended_due_on == dt.date(2026, 4, 28)
    assert request.statutory_due_on == dt.date(2026, 4, 28)
    assert request.extension_told_on == dt.date(2026, 3, 2)
    assert OutboxMessage.objects.filter(request=request, letter_kind="extension").exists()


def test_an_extension_after_the_first_month_is_refused(january_request, privacy_officer):
    with (
        time_machine.travel(at("2026-03-03", 12)),
        pytest.raises(ValidationError, match="eerste maand"),
    ):
        request_extend(request=january_request, reason="Te laat.", by=privacy_officer)


def test_an_agent_cannot_extend(january_request, agent):
    with (
        time_machine.travel(at("2026-02-10")),
        pytest.raises(ValidationError, match="privacy officer"),
    ):
        request_extend(request=january_request, reason="Druk.", by=agent)


def test_a_request_is_extended_only_once_and_with_a_reason(january_request, privacy_officer):
    with time_machine.travel(at("2026-02-10")):
        with pytest.raises(ValidationError, match="reden"):
            request_extend(request=january_request, reason=" ", by=privacy_officer)
        with pytest.raises(ValidationError, match="ten hoogste twee maanden"):
            request_extend(request=january_request, reason="Lang.", by=privacy_officer, months=3)
        request_extend(request=january_request, reason="Complex.", by=privacy_officer, months=1)
        with pytest.raises(ValidationError, match="al eens verlengd"):
            request_extend(request=january_request, reason="Nog eens.", by=privacy_officer)


# --- rejection (Art. 12(4)) -------------------------------------------------------------------


def test_a_rejection_states_the_reasons_and_the_right_to_complain(
    request_in_progress, privacy_officer
):
    request = request_reject(
        request=request_in_progress,
        reasons="Het verzoek is kennelijk ongegrond.",
        by=privacy_officer,
    )
    assert request.status == Status.REJECTED and request.closed_at
    letter = OutboxMessage.objects.get(request=request, letter_kind="rejection")
    assert "kennelijk ongegrond" in letter.body
    assert "Autoriteit" in letter.body and "Persoonsgegevens" in letter.body


def test_a_rejection_without_reasons_is_refused(request_in_progress, privacy_officer):
    with pytest.raises(ValidationError, match="redenen"):
        request_reject(request=request_in_progress, reasons="", by=privacy_officer)
    request_in_progress.refresh_from_db()
    assert request_in_progress.status == Status.IN_PROGRESS


# --- extension: Art. 12(3) GDPR dates ----------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "first_month_ends", "extended_to"),
    [
        ("2026-01-31", "2026-03-02", "2026-04-28"),  # LEGAL.md §1.5: the earlier reading
        ("2026-03-09", "2026-04-09", "2026-06-09"),
        ("2026-03-27", "2026-04-28", "2026-06-29"),  # Sat 27 June → Mon 29 June
        ("2026-11-25", "2026-12-28", "2027-02-25"),
    ],
)
def test_the_extension_ends_at_the_earlier_reading_and_is_refused_after_the_first_month(
    register, privacy_officer, received, first_month_ends, extended_to
):
    with time_machine.travel(at(received, 12)):
        request = open_request(received_at=at(received))
    assert request.due_on == dt.date.fromisoformat(first_month_ends)
    last_day = dt.date.fromisoformat(first_month_ends)
    with (
        time_machine.travel(at(str(last_day + dt.timedelta(days=1)))),
        pytest.raises(ValidationError, match="eerste maand"),
    ):
        request_extend(request=request, reason="Te laat gevraagd.", by=privacy_officer)
    with time_machine.travel(at(first_month_ends, 23)):
        request = request_extend(request=request, reason="Veel systemen.", by=privacy_officer)
    assert request.extended_due_on == dt.date.fromisoformat(extended_to)
    assert request.extension_told_on == last_day
    assert request.next_deadline_on <= request.statutory_due_on == request.extended_due_on


def test_a_one_month_extension_ends_at_the_earlier_reading(january_request, privacy_officer):
    with time_machine.travel(at("2026-02-10")):
        request = request_extend(
            request=january_request, reason="Complex.", by=privacy_officer, months=1
        )
    # (a) 31 March; (b) 28 Feb + 1 month = Sat 28 March → Mon 30 March (LEGAL.md §1.5).
    assert request.extended_due_on == dt.date(2026, 3, 30)


def test_a_closed_request_is_not_extended(request_in_progress, privacy_officer):
    request_reject(request=request_in_progress, reasons="Ongegrond.", by=privacy_officer)
    with pytest.raises(ValidationError, match="al afgesloten"):
        request_extend(request=request_in_progress, reason="Laat.", by=privacy_officer)


def test_two_agents_verifying_at_once_record_it_once(register, agent, privacy_officer):
    request = open_request()
    stale = type(request).objects.get(pk=request.pk)  # the second agent's page, loaded earlier
    request_verify_identity(request=request, method="email", by=agent)
    with pytest.raises(ValidationError, match="al gecontroleerd"):
        request_verify_identity(request=stale, method="callback", by=privacy_officer)
    request.refresh_from_db()
    assert (request.identity_method, request.identity_verified_by) == ("email", agent)
    assert request.events.filter(kind="identity").count() == 1


def test_assigning_a_request_closed_meanwhile_is_refused(request_in_progress, agent):
    stale = type(request_in_progress).objects.get(pk=request_in_progress.pk)
    request_transition(request=request_in_progress, action="withdraw", by=agent)
    with pytest.raises(ValidationError, match="al afgesloten"):
        request_assign(request=stale, assignee=agent, by=agent)
