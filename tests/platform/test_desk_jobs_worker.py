"""The desk's, the register's and the consents' jobs through a real Celery worker over the
configured broker (the filesystem transport by default, Redis in CI): each runs once, a second run
finds nothing."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from consents.services import consent_give, subject_get_or_create
from consents.tasks import soft_opt_in_expiry
from privacy_register.tasks import register_digest
from requests_desk.models import OutboxMessage, Reminder, Status
from requests_desk.services import request_assign, request_verify_identity
from requests_desk.tasks import close_out, outbox_sweep, reminders, send_outbox_message
from tests.consents.conftest import clear_ledger
from tests.factories import open_request
from tests.platform.test_celery_worker import celery_config, celery_worker_parameters  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_worker_sends_a_queued_letter_once(celery_app, celery_worker, monkeypatch):
    call_command("load_rezulto_register", verbosity=0)
    # Hold back the hand-off at commit, so that this test sends the letter itself, twice.
    monkeypatch.setattr("requests_desk.outbox.send_soon", lambda message_id: None)
    request = open_request()
    message = OutboxMessage.objects.get(request=request)
    celery_worker.reload()
    assert celery_app.send_task(send_outbox_message.name, args=[message.pk]).get(timeout=30)
    assert (
        celery_app.send_task(send_outbox_message.name, args=[message.pk]).get(timeout=30) is False
    )
    assert celery_app.send_task(outbox_sweep.name).get(timeout=30) == 0
    message.refresh_from_db()
    assert message.status == "sent" and message.attempts == 1
    assert len(mail.outbox) == 1


def test_reminders_and_close_out_run_on_the_worker_once(
    celery_app, celery_worker, monkeypatch, agent
):
    """The reminder and close-out sweeps through the worker: the second run finds nothing."""
    call_command("load_rezulto_register", verbosity=0)
    monkeypatch.setattr("requests_desk.outbox.send_soon", lambda message_id: None)
    late = open_request(received_at=timezone.now() - dt.timedelta(days=40))
    request_assign(request=late, assignee=agent, by=agent)
    objection = open_request(kind="objection_direct_marketing", requester_email="b@school.example")
    request_verify_identity(request=objection, method="email", by=agent)
    celery_worker.reload()
    assert celery_app.send_task(reminders.name).get(timeout=30) >= 1
    assert celery_app.send_task(reminders.name).get(timeout=30) == 0
    assert Reminder.objects.filter(request=late).exists()
    assert celery_app.send_task(close_out.name).get(timeout=30)["completed"] == 1
    assert celery_app.send_task(close_out.name).get(timeout=30)["completed"] == 0
    objection.refresh_from_db()
    assert objection.status == Status.COMPLETED


@pytest.fixture
def ledger_emptied_after():
    """The ledger refuses the flush that ends a transactional test: empty it first."""
    yield
    clear_ledger()


def test_the_register_digest_and_the_soft_opt_in_expiry_run_on_the_worker_once(
    celery_app, celery_worker, monkeypatch, ledger_emptied_after, marketing, privacy_officer
):
    monkeypatch.setattr("requests_desk.outbox.send_soon", lambda message_id: None)
    subject = subject_get_or_create(email="klant@school.example")
    subject.customer_until = timezone.localdate() - dt.timedelta(days=3 * 365)
    subject.save()
    consent_give(subject=subject, purpose=marketing, method="web_form")
    celery_worker.reload()
    assert celery_app.send_task(register_digest.name).get(timeout=30) == 1
    assert celery_app.send_task(register_digest.name).get(timeout=30) == 0
    assert OutboxMessage.objects.filter(letter_kind="register_digest").count() == 1
    assert celery_app.send_task(soft_opt_in_expiry.name).get(timeout=30) == 1
    assert celery_app.send_task(soft_opt_in_expiry.name).get(timeout=30) == 0
