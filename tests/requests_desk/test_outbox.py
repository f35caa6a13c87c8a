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


def test_a_letter_whose_worker_died_after_sending_is_resent_with_the_same_message_id(
    register, settings
):
    """The worker marked the letter "sending" (committed), the mail server accepted it, and the
    worker died before it could record that: the sweep, once the sending has timed out, sends it
    again under the same Message-ID and says so on the request's timeline."""
    import datetime as dt

    import time_machine
    from django.utils import timezone

    from requests_desk.models import RequestEvent

    settings.DESK_OUTBOX_SENDING_TIMEOUT_SECONDS = 600
    request = open_request()
    message = outbox._claim(OutboxMessage.objects.get(request=request).pk)
    EmailMessage = outbox.EmailMessage
    EmailMessage(
        message.subject, message.body, to=[message.to], headers={"Message-ID": message.message_id}
    ).send()  # accepted; then the crash
    assert outbox.outbox_sweep() == 0  # still within the timeout: perhaps still being sent
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11)):
        assert outbox.outbox_sweep() == 1
    assert outbox.outbox_sweep() == 0
    first, second = mail.outbox
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"]
    assert second.message()["Message-ID"] == message.message_id
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2)
    note = RequestEvent.objects.get(request=request, kind="resent")
    assert note.data["message_id"] == message.message_id


def test_a_letter_is_marked_sending_in_its_own_step_before_the_mail_server_is_called(
    register, monkeypatch
):
    open_request()
    message = OutboxMessage.objects.get()
    seen = []
    from django.db import connection

    depth = len(connection.savepoint_ids)  # the test's own transaction

    def look(self, *args, **kwargs):
        status = OutboxMessage.objects.get(pk=message.pk).status
        seen.append((status, len(connection.savepoint_ids) - depth))
        return 1

    monkeypatch.setattr("django.core.mail.EmailMessage.send", look)
    assert outbox.outbox_send(message_id=message.pk)
    assert seen == [("sending", 0)]  # no transaction of the outbox's own is open while it sends
