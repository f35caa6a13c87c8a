"""The clock's reminders at 24, 48 and 60 hours and the escalation at 66: each sent once, however
often the job runs and however many workers run it at the same moment."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from breaches import jobs
from breaches.models import BreachReminder, Decision
from breaches.services import ap_file
from requests_desk.models import OutboxKind, OutboxMessage
from tests.factories import decide, report_breach


def _alerts():
    return OutboxMessage.objects.filter(letter_kind=OutboxKind.BREACH_ALERT)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("hours_after_start", "marks"),
    [(23, []), (24, [24]), (47, [24]), (48, [24, 48]), (60, [24, 48, 60]), (66, [24, 48, 60, 66])],
)
def test_the_marks_follow_the_clock(register, agent, privacy_officer, hours_after_start, marks):
    breach = report_breach(by=agent, aware_at=timezone.now() - dt.timedelta(hours=80))
    now = breach.period_starts_at + dt.timedelta(hours=hours_after_start)
    before = _alerts().count()
    for hours in range(0, hours_after_start + 1):  # the job runs every hour
        jobs.reminders_send(now=breach.period_starts_at + dt.timedelta(hours=hours))
    assert sorted(BreachReminder.objects.values_list("hours", flat=True)) == marks
    assert _alerts().count() - before == len(marks)  # one mail per mark to the one officer
    assert jobs.reminders_send(now=now) == 0


@pytest.mark.django_db
def test_the_escalation_also_goes_to_the_escalation_list(
    register, agent, privacy_officer, settings
):
    settings.BREACHES_ESCALATION_TO = ["directie@rezulto.example"]
    breach = report_breach(by=agent, aware_at=timezone.now() - dt.timedelta(hours=80))
    jobs.reminders_send(now=breach.period_starts_at + dt.timedelta(hours=66))
    escalation = _alerts().filter(subject__startswith="ESCALATIE")
    assert set(escalation.values_list("to", flat=True)) == {
        privacy_officer.email,
        "directie@rezulto.example",
    }
    # Marks passed while the job was not running are recorded, one mail for the latest only.
    assert BreachReminder.objects.filter(mailed=True).count() == 1
    assert BreachReminder.objects.count() == 4


@pytest.mark.django_db
def test_a_filed_or_no_risk_breach_is_not_reminded(register, agent, privacy_officer):
    filed = report_breach(by=agent, aware_at=timezone.now() - dt.timedelta(hours=30))
    decide(filed, decision=Decision.RISK, by=privacy_officer)
    ap_file(breach=filed, filed_at=timezone.now(), ap_reference="M-1", by=privacy_officer)
    harmless = report_breach(by=agent, aware_at=timezone.now() - dt.timedelta(hours=30))
    decide(harmless, decision=Decision.NO_RISK, by=privacy_officer)
    assert jobs.reminders_send(now=timezone.now()) == 0


@pytest.mark.django_db
def test_the_job_runs_a_fixed_number_of_queries(
    register, agent, privacy_officer, django_assert_max_num_queries
):
    for _ in range(10):
        report_breach(by=agent, aware_at=timezone.now() - dt.timedelta(hours=30))
    # Per mark recorded: savepoint, reminder, its history row, mail, event, its history, release.
    with django_assert_max_num_queries(3 + 10 * 7):
        assert jobs.reminders_send(now=timezone.now()) == 10
    with django_assert_max_num_queries(3):
        assert jobs.reminders_send(now=timezone.now()) == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_two_workers_at_the_same_moment_send_each_reminder_once(django_db_blocker):
    from django.core.management import call_command

    from accounts.roles import AGENT, PRIVACY_OFFICER, setup_roles
    from tests.factories import UserFactory

    call_command("load_rezulto_register", verbosity=0)
    setup_roles()
    UserFactory(username="priya", role=PRIVACY_OFFICER)
    agent = UserFactory(username="kees", role=AGENT)
    breaches = [
        report_breach(by=agent, aware_at=timezone.now() - dt.timedelta(hours=50)) for _ in range(5)
    ]
    before = _alerts().count()
    barrier, counts, errors = threading.Barrier(4), [], []

    def run():
        try:
            barrier.wait()
            counts.append(jobs.reminders_send(now=timezone.now()))
        except Exception as error:  # noqa: BLE001 — collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sum(counts) == 2 * len(breaches)  # the 24 and 48 hour marks, once each
    assert BreachReminder.objects.count() == 2 * len(breaches)
    assert _alerts().count() - before == len(breaches)  # one mail each, for the 48-hour mark
