"""The reminder and escalation job (`jobs.reminders_send`): three working days before each date,
to the assignee or the privacy officers, once however often it runs."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from requests_desk import jobs, outbox
from requests_desk.models import OutboxMessage, Reminder
from requests_desk.services import request_assign
from tests.factories import open_request

pytestmark = pytest.mark.django_db
AMS = timezone.get_default_timezone()


def at(day, hour=9):
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), AMS)


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
    outbox.outbox_sweep()
    outbox.outbox_sweep()
    reminders = [m for m in mail.outbox if "termijn" in m.subject]
    assert len(reminders) == 1 and agent.email in reminders[0].to
    assert "AVG-2026-00001" in reminders[0].body


def test_a_worker_killed_halfway_loses_no_reminder_and_doubles_none(assigned, monkeypatch):
    """The reminder rows and their mail are one transaction: a crash before the commit leaves
    neither (the next run sends it), a crash after it leaves both (the sweep sends the mail)."""
    day = dt.date(2026, 11, 27)

    def killed(**kwargs):
        raise SystemExit("worker killed")

    monkeypatch.setattr(jobs, "outbox_queue", killed)
    with pytest.raises(SystemExit):
        jobs.reminders_send(today=day)
    assert not Reminder.objects.exists()
    monkeypatch.undo()
    assert jobs.reminders_send(today=day) >= 1
    assert jobs.reminders_send(today=day) == 0
    assert OutboxMessage.objects.filter(letter_kind="reminder").count() == 1


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
