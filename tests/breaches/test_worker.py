"""The breach jobs through a real Celery worker over the configured broker: the bulk notice sent
in batches, each message once; the reminders recorded once."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accounts.roles import AGENT, PRIVACY_OFFICER, setup_roles
from breaches.models import BreachReminder, Decision, LookupStatus
from breaches.services import notice_draft, notice_lookup_start, notice_send
from breaches.tasks import notice_lookup, reminders, send_notice_batch
from requests_desk.models import OutboxKind, OutboxMessage, OutboxStatus
from tests.factories import UserFactory, decide, report_breach
from tests.platform.test_celery_worker import celery_config, celery_worker_parameters  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people():
    call_command("load_rezulto_register", verbosity=0)
    setup_roles()
    return UserFactory(username="priya", role=PRIVACY_OFFICER), UserFactory(
        username="kees", role=AGENT
    )


def test_the_workers_send_a_bulk_notice_once(
    celery_app, celery_worker, monkeypatch, settings, people
):
    officer, agent = people
    settings.BREACHES_NOTICE_BATCH = 500
    batches = []
    monkeypatch.setattr("requests_desk.outbox.send_soon", lambda message_id: None)
    # Hold back the hand-off at commit and record the batches, so that the test sends them
    # itself through the worker (and once more).
    monkeypatch.setattr("breaches.mail.send_batch_soon", batches.append)
    breach = report_breach(by=agent)
    decide(breach, decision=Decision.HIGH_RISK, by=officer)
    subject, body = notice_draft(breach=breach)
    notice_send(
        breach=breach,
        subject=subject,
        body=body,
        source="lijst",
        by=officer,
        people=[(f"p{i}@school.example", "") for i in range(2_000)],
    )
    assert [len(b) for b in batches] == [500, 500, 500, 500]  # handed over at commit
    mail.outbox.clear()
    celery_worker.reload()
    sent = [celery_app.send_task(send_notice_batch.name, args=[b]) for b in batches]
    assert sum(result.get(timeout=60) for result in sent) == 2_000
    # A batch delivered twice (a retry, a second worker) sends nothing more.
    assert celery_app.send_task(send_notice_batch.name, args=[batches[0]]).get(timeout=60) == 0
    notices = OutboxMessage.objects.filter(letter_kind=OutboxKind.BREACH_NOTICE)
    assert notices.filter(status=OutboxStatus.SENT).count() == 2_000
    assert len(mail.outbox) == 2_000


def test_the_reminders_run_on_the_worker_once(celery_app, celery_worker, monkeypatch, people):
    officer, agent = people
    monkeypatch.setattr("requests_desk.outbox.send_soon", lambda message_id: None)
    report_breach(by=agent, aware_at=timezone.now() - dt.timedelta(hours=30))
    celery_worker.reload()
    assert celery_app.send_task(reminders.name).get(timeout=30) == 1
    assert celery_app.send_task(reminders.name).get(timeout=30) == 0
    assert list(BreachReminder.objects.values_list("hours", flat=True)) == [24]


def test_a_worker_looks_the_people_up_in_a_system_and_queues_the_notice_once(
    celery_app, celery_worker, monkeypatch, people, webshop_connector
):
    officer, agent = people
    # Hold back the hand-offs at commit, so that the test hands the lookup to the worker itself
    # (and once more, as a retry would).
    monkeypatch.setattr("breaches.services._lookup_soon", lambda lookup_id: None)
    monkeypatch.setattr("breaches.mail.send_batch_soon", lambda message_ids: None)
    breach = report_breach(by=agent)
    decide(breach, decision=Decision.HIGH_RISK, by=officer, systems=[webshop_connector.system])
    subject, body = notice_draft(breach=breach)
    lookup = notice_lookup_start(
        breach=breach, subject=subject, body=body, systems=[webshop_connector.system], by=officer
    )
    celery_worker.reload()
    first = celery_app.send_task(notice_lookup.name, args=[lookup.pk]).get(timeout=60)
    again = celery_app.send_task(notice_lookup.name, args=[lookup.pk]).get(timeout=60)
    assert first == again == LookupStatus.DONE
    notices = OutboxMessage.objects.filter(letter_kind=OutboxKind.BREACH_NOTICE)
    assert notices.count() == 43 and breach.lookups.get().recipients == 43
