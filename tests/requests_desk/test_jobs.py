"""The desk's jobs as functions: outbox, reminders and escalation, close-out, soft opt-in expiry.
Every job run twice changes nothing more."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from consents.models import ConsentPurpose, ConsentPurposeVersion
from consents.selectors import may_contact
from consents.services import consent_give, subject_get_or_create
from privacy_register.models import ProcessingActivity
from requests_desk import jobs
from requests_desk.models import OutboxMessage, Reminder, Status
from requests_desk.services import request_assign, request_transition, request_verify_identity
from tests.factories import open_request

pytestmark = pytest.mark.django_db
AMS = timezone.get_default_timezone()


def at(day, hour=9):
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), AMS)


# --- outbox ---------------------------------------------------------------------------------


def test_the_sweep_sends_each_queued_letter_exactly_once(register):
    open_request()
    open_request(requester_email="b@school.example")
    assert jobs.outbox_sweep() == 2
    assert jobs.outbox_sweep() == 0
    assert len(mail.outbox) == 2
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}


def test_a_failing_mail_server_is_retried_then_marked_failed(register, settings, monkeypatch):
    settings.DESK_OUTBOX_MAX_ATTEMPTS = 2
    open_request()
    message = OutboxMessage.objects.get()

    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    assert not jobs.outbox_send(message_id=message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("queued", 1)
    assert "smtp down" in message.last_error
    jobs.outbox_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == "failed"


def test_with_the_broker_down_a_request_is_still_taken_in_and_its_letter_sent_later(
    register, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr("requests_desk.tasks.send_outbox_message.delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        request = open_request()
    assert request.pk and OutboxMessage.objects.get().status == "queued"
    assert jobs.outbox_sweep() == 1  # the broker is back: the sweep sends it, once
    assert jobs.outbox_sweep() == 0
    assert len(mail.outbox) == 1


# --- reminders ------------------------------------------------------------------------------


@pytest.fixture
def assigned(register, agent):
    with time_machine.travel(at("2026-11-02")):
        request = open_request(received_at=at("2026-11-02"))  # target 30 Nov, due 2 Dec
        request_assign(request=request, assignee=agent, by=agent)
    return request


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        ("2026-11-24", 0),  # four working days before the target: too early
        ("2026-11-25", 1),  # three working days before the target (30 Nov): remind
        ("2026-11-26", 1),  # the statutory date (Wed 2 Dec) is still four working days away
        ("2026-11-27", 2),  # ... and now three: the statutory reminder too
    ],
)
def test_reminders_start_three_working_days_before(assigned, agent, today, expected):
    with time_machine.travel(at(today)):
        jobs.reminders_send(today=dt.date.fromisoformat(today))
    assert Reminder.objects.filter(recipient=agent).count() == expected


def test_a_reminder_is_sent_once_however_often_the_job_runs(assigned, agent):
    day = dt.date(2026, 11, 27)
    first = jobs.reminders_send(today=day)
    again = jobs.reminders_send(today=day)
    assert first >= 1 and again == 0
    jobs.outbox_sweep()
    jobs.outbox_sweep()
    reminders = [m for m in mail.outbox if "termijn" in m.subject]
    assert len(reminders) == 1 and agent.email in reminders[0].to
    assert "AVG-2026-00001" in reminders[0].body


def test_a_worker_killed_halfway_loses_no_reminder_and_doubles_none(assigned, monkeypatch):
    """The reminder rows and their mail are one transaction: a crash before the commit leaves
    neither (the next run sends it), a crash after it leaves both (the sweep sends the mail)."""
    day = dt.date(2026, 11, 27)

    def killed(**kwargs):
        raise SystemExit("worker killed")

    monkeypatch.setattr(jobs, "_queue_internal_mail", killed)
    with pytest.raises(SystemExit):
        jobs.reminders_send(today=day)
    assert not Reminder.objects.exists()
    monkeypatch.undo()
    assert jobs.reminders_send(today=day) >= 1
    assert jobs.reminders_send(today=day) == 0
    assert OutboxMessage.objects.filter(letter_kind="reminder").count() == 1


def test_the_register_digest_goes_once_a_day(register, privacy_officer):
    assert jobs.register_digest_send(today=dt.date(2026, 11, 25)) == 1
    assert jobs.register_digest_send(today=dt.date(2026, 11, 25)) == 0
    message = OutboxMessage.objects.get(letter_kind="register_digest")
    assert "Geen verwerkersovereenkomst" in message.body
    assert jobs.register_digest_send(today=dt.date(2026, 11, 26)) == 1


# --- retention ------------------------------------------------------------------------------


def test_closed_requests_are_minimised_after_the_registers_retention(register, agent):
    from requests_desk.services import request_complete, task_complete

    with time_machine.travel(at("2024-01-10")):
        old = open_request(received_at=at("2024-01-10"), requester_name="Oud Verzoek")
        request_verify_identity(request=old, method="email", by=agent)
        for task in old.tasks.all():
            task_complete(task=task, by=agent)
        request_complete(request=old, by=agent, outcome="Overzicht van Oud Verzoek gestuurd.")
    recent = open_request(requester_email="nieuw@school.example")
    # The register keeps requests 24 months after closing: 10 Jan 2024 + 24 months.
    assert jobs.requests_minimise(today=dt.date(2026, 1, 10)) == []
    assert jobs.requests_minimise(today=dt.date(2026, 1, 11)) == [old.reference]  # dry run
    old.refresh_from_db()
    assert old.requester_name == "Oud Verzoek"
    assert jobs.requests_minimise(today=dt.date(2026, 1, 11), dry_run=False) == [old.reference]
    old.refresh_from_db()
    assert (old.requester_name, old.requester_email, old.subject, old.outcome) == (
        "(geminimaliseerd)",
        "",
        None,
        "",
    )
    assert not old.history.exists()
    assert not OutboxMessage.objects.filter(request=old, body__contains="Oud Verzoek").exists()
    assert old.reference and old.status == Status.COMPLETED
    recent.refresh_from_db()
    assert recent.requester_email == "nieuw@school.example"
    assert jobs.requests_minimise(today=dt.date(2026, 1, 11), dry_run=False) == []


def test_the_officer_sees_the_retention_dry_run(client_as, register):
    body = (
        client_as("privacy_officer")
        .get("/admin/requests_desk/datasubjectrequest/bewaartermijn/")
        .content.decode()
    )
    assert "Niets: geen verzoek is over zijn bewaartermijn." in body
    assert (
        client_as("auditor")
        .get("/admin/requests_desk/datasubjectrequest/bewaartermijn/")
        .status_code
        == 403
    )


def test_an_overdue_request_is_escalated_to_the_privacy_officer(assigned, privacy_officer):
    jobs.reminders_send(today=dt.date(2026, 12, 3))
    assert Reminder.objects.filter(kind="escalation", recipient=privacy_officer).exists()


def test_an_unassigned_request_reminds_the_privacy_officers(register, privacy_officer):
    with time_machine.travel(at("2026-11-02")):
        open_request(received_at=at("2026-11-02"))
    jobs.reminders_send(today=dt.date(2026, 11, 26))
    assert Reminder.objects.filter(recipient=privacy_officer).exists()


def test_weekends_and_holidays_count_out_of_the_window(register, agent):
    # Received 24 Nov: target (4 weeks) Tue 22 Dec. Three working days before is Thu 17 Dec.
    with time_machine.travel(at("2026-11-24")):
        request = open_request(received_at=at("2026-11-24"))
        request_assign(request=request, assignee=agent, by=agent)
    assert jobs.reminders_send(today=dt.date(2026, 12, 16)) == 0
    assert jobs.reminders_send(today=dt.date(2026, 12, 17)) == 1


# --- close-out ------------------------------------------------------------------------------


@pytest.fixture
def marketing(register):
    activity = ProcessingActivity.objects.get(slug="marketing-email")
    purpose = ConsentPurpose.objects.create(
        slug="marketing",
        name="Marketing",
        activity=activity,
        channel="email",
        legal_basis="soft_opt_in",
    )
    ConsentPurposeVersion.objects.create(purpose=purpose, number=1, wording="Aanbiedingen")
    return purpose


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


def test_an_unverified_objection_waits(marketing):
    open_request(kind="objection_direct_marketing")
    assert jobs.requests_close_out()["completed"] == 0


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
    letter = OutboxMessage.objects.get(request=request, letter_kind="completion")
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


# --- soft opt-in ----------------------------------------------------------------------------


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
