"""The outbox (requests_desk/outbox.py): every queued letter sent once, failures retried then
marked failed, and a letter queued while the broker is down sent by the sweep."""

import pytest
from django.core import mail

from requests_desk import outbox
from requests_desk.models import OutboxMessage
from tests.factories import open_request

pytestmark = pytest.mark.django_db


def test_the_sweep_sends_each_queued_letter_exactly_once(register):
    open_request()
    open_request(requester_email="b@school.example")
    assert outbox.outbox_sweep() == 2
    assert outbox.outbox_sweep() == 0
    assert len(mail.outbox) == 2
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}


def test_a_failing_mail_server_is_retried_then_marked_failed(register, settings, monkeypatch):
    settings.DESK_OUTBOX_MAX_ATTEMPTS = 2
    open_request()
    message = OutboxMessage.objects.get()

    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    assert not outbox.outbox_send(message_id=message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("queued", 1)
    assert "smtp down" in message.last_error
    outbox.outbox_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == "failed"


def test_with_the_broker_down_a_request_is_still_taken_in_and_its_letter_sent_later(
    register, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(outbox.current_app, "send_task", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        request = open_request()
    assert request.pk and OutboxMessage.objects.get().status == "queued"
    assert outbox.outbox_sweep() == 1  # the broker is back: the sweep sends it, once
    assert outbox.outbox_sweep() == 0
    assert len(mail.outbox) == 1
