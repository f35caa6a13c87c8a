"""Webhooks end to end against a receiver written here with the standard library only
(http.server in a thread), which checks the signature as docs/integrators.md tells a receiver
to: HMAC-SHA256 under the subscription's secret over `<timestamp>.<body>`."""

import datetime as dt
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine

from api import jobs
from api.models import ApiCall, DeliveryStatus, WebhookDelivery
from config.celery import app as celery_app
from consents.models import ConsentEvent
from consents.personal_data import erase
from consents.services import ledger_integrate, subject_get_or_create, subject_restrict
from consents.sources import Person
from tests.api.conftest import call

pytestmark = pytest.mark.django_db(transaction=False)

EVENT = {"email": "an@example.nl", "purpose": "nieuwsbrief", "method": "web_form"}


def signature_is_valid(secret: str, header: str, body: bytes, tolerance: int = 300) -> bool:
    """What a receiver does, in nothing but the standard library."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    timestamp = int(parts["t"])
    if abs(time.time() - timestamp) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest(expected.hexdigest(), parts["v1"])


class Receiver:
    """A webhook receiver on a free port; answers the status codes it is given, in turn (200
    once they run out), and keeps what it received (the raw body and its signature header too)
    and whether the signature held."""

    def __init__(self):
        self.secret = ""
        self.answers: list[int] = []
        self.received: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append(
                    {
                        "raw": body,
                        "signature": self.headers["Rezulto-Signature"],
                        "body": json.loads(body),
                        "event": self.headers["Rezulto-Event"],
                        "valid": signature_is_valid(
                            receiver.secret, self.headers["Rezulto-Signature"], body
                        ),
                    }
                )
                code = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(code)
                self.end_headers()
                self.wfile.write(b"ok" if code == 200 else b"busy")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    with Receiver() as receiver:
        yield receiver


@pytest.fixture
def subscribed(client, key, receiver, newsletter):
    """The key's client subscribed to every event at the receiver (the secret shown once)."""
    events = [
        "consent.given",
        "consent.withdrawn",
        "subject.restricted",
        "subject.restriction_lifted",
        "subject.erased",
        "request.completed",
    ]
    response = call(
        client, "post", "/api/v1/webhooks/", key, {"url": receiver.url, "events": events}
    )
    assert response.status_code == 201
    receiver.secret = response.json()["secret"]
    assert "secret" not in call(client, "get", "/api/v1/webhooks/", key).json()[0]
    return receiver


def test_a_withdrawal_reaches_the_receiver_signed_and_verified(client, key, subscribed):
    call(client, "post", "/api/v1/consents/events/", key, {**EVENT, "action": "withdrawn"})
    delivery = WebhookDelivery.objects.get()  # written with the event, in its transaction
    assert delivery.event == "consent.withdrawn" and delivery.status == DeliveryStatus.PENDING
    assert jobs.webhooks_sweep() == 1
    [got] = subscribed.received
    assert got["valid"] and got["event"] == "consent.withdrawn"
    assert got["body"]["data"]["email"] == "an@example.nl"
    assert got["body"]["data"]["purpose"] == "nieuwsbrief"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_status_code) == (DeliveryStatus.DELIVERED, 200)
    assert jobs.webhooks_sweep() == 0  # delivered once


def test_a_queued_single_event_is_told_when_it_is_recorded_and_once_only(
    client, key, subscribed, settings
):
    """Production's path (issue 19): one event waits in the ledger's queue for the sequencer. Its
    webhook is written with it, in its transaction, not when the sequencer numbers it (and not
    again then)."""
    settings.CONSENT_SEQUENCER_INLINE = False
    call(client, "post", "/api/v1/consents/events/", key, {**EVENT, "action": "given"})
    response = call(
        client, "post", "/api/v1/consents/events/", key, {**EVENT, "action": "withdrawn"}
    )
    assert response.json()["status"] == "queued"
    assert ConsentEvent.objects.filter(sequence__isnull=True).count() == 2
    assert list(WebhookDelivery.objects.order_by("pk").values_list("event", flat=True)) == [
        "consent.given",
        "consent.withdrawn",
    ]
    assert jobs.webhooks_sweep() == 2
    given, withdrawn = sorted(subscribed.received, key=lambda got: got["event"])
    assert given["valid"] and withdrawn["valid"]
    assert withdrawn["body"]["data"]["email"] == "an@example.nl"
    assert withdrawn["body"]["data"]["purpose"] == "nieuwsbrief"
    assert withdrawn["body"]["data"]["sequence"] is None  # not numbered yet, and it says so

    assert ledger_integrate() == 2
    assert WebhookDelivery.objects.count() == 2  # the sequencer tells no one a second time


def test_a_signature_under_another_secret_or_an_altered_body_does_not_verify(subscribed):
    from api.signing import sign

    header = sign(secret=subscribed.secret, timestamp=int(time.time()), body=b'{"a":1}')
    assert signature_is_valid(subscribed.secret, header, b'{"a":1}')
    assert not signature_is_valid(subscribed.secret, header, b'{"a":2}')
    assert not signature_is_valid("whsec_other", header, b'{"a":1}')
    old = sign(secret=subscribed.secret, timestamp=int(time.time()) - 3600, body=b"{}")
    assert not signature_is_valid(subscribed.secret, old, b"{}")


def test_a_delivery_that_fails_is_retried_with_backoff_and_then_delivered(client, key, subscribed):
    subscribed.answers = [503, 500]
    call(client, "post", "/api/v1/consents/events/", key, {**EVENT, "action": "given"})
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start, tick=False):
        assert jobs.webhooks_sweep() == 0
    delivery = WebhookDelivery.objects.get()
    assert (delivery.attempts, delivery.last_status_code, delivery.last_response) == (
        1,
        503,
        "busy",
    )
    assert delivery.next_attempt_at == start + dt.timedelta(seconds=30)
    with time_machine.travel(start + dt.timedelta(seconds=10), tick=False):
        assert jobs.webhooks_sweep() == 0  # not due yet: nothing is sent
    with time_machine.travel(start + dt.timedelta(seconds=31), tick=False):
        assert jobs.webhooks_sweep() == 0
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == start + dt.timedelta(seconds=31 + 60)  # doubled
    with time_machine.travel(start + dt.timedelta(seconds=92), tick=False):
        assert jobs.webhooks_sweep() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 3)
    assert len(subscribed.received) == 3 and all(r["valid"] for r in subscribed.received)


def test_a_receiver_that_never_answers_well_fails_after_the_last_attempt(
    client, key, subscribed, settings
):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    subscribed.answers = [500, 500]
    call(client, "post", "/api/v1/consents/events/", key, {**EVENT, "action": "given"})
    delivery = WebhookDelivery.objects.get()
    jobs.delivery_send(delivery_id=delivery.pk)
    jobs.delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED


@pytest.fixture
def broker_down():
    """The real Celery app pointed at a Redis port where nothing listens."""
    saved = celery_app.conf.broker_url, celery_app.conf.task_publish_retry
    celery_app.conf.broker_url, celery_app.conf.task_publish_retry = "redis://127.0.0.1:9/0", False
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    yield
    celery_app.conf.broker_url, celery_app.conf.task_publish_retry = saved
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def test_with_the_broker_down_the_change_commits_and_the_sweep_delivers_it_later(
    client, key, subscribed, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = call(
            client, "post", "/api/v1/consents/events/", key, {**EVENT, "action": "given"}
        )
    assert response.status_code == 201 and callbacks  # the hand-over to the worker was tried
    assert WebhookDelivery.objects.get().status == DeliveryStatus.PENDING
    assert jobs.webhooks_sweep() == 1  # the periodic sweep, once the worker runs again
    assert subscribed.received[0]["valid"]


def test_restriction_and_erasure_are_told_and_the_erasure_carries_no_personal_data(subscribed, key):
    subject = subject_get_or_create(email="piet@example.nl", name="Piet Jansen")
    subject_restrict(subject=subject, by=None, reason="art. 18")
    digest = subject.email_hash
    erase(Person(email="piet@example.nl", subject=subject), by=None, reason="art. 17")
    assert jobs.webhooks_sweep() == 2
    restricted, erased = subscribed.received
    assert restricted["event"] == "subject.restricted"
    assert erased["event"] == "subject.erased"
    assert erased["body"]["data"] == {"subject_hash": digest}
    raw = WebhookDelivery.objects.get(event="subject.erased").body
    assert "piet" not in raw.lower() and "jansen" not in raw.lower()


def test_request_completed_is_told_only_to_the_client_that_filed_it(
    client, key, make_key, subscribed, privacy_officer
):
    from requests_desk.models import DataSubjectRequest
    from requests_desk.services import request_complete

    other = make_key()
    call(
        client,
        "post",
        "/api/v1/webhooks/",
        other,
        {"url": subscribed.url, "events": ["request.completed"]},
    )
    body = {"kind": "access", "name": "An", "email": "an@example.nl"}
    reference = call(client, "post", "/api/v1/requests/", key, body).json()["reference"]
    request = DataSubjectRequest.objects.get(reference=reference)
    request.status = "in_progress"
    request.save(update_fields=["status"])
    request_complete(
        request=request, by=privacy_officer, outcome="Klaar.", override_reason="Elders gedaan."
    )
    completed = WebhookDelivery.objects.filter(event="request.completed")
    assert completed.get().subscription.client.name == "Systeem 1"
    assert json.loads(completed.get().body)["data"]["reference"] == reference


def test_the_admin_shows_deliveries_and_the_officer_replays_one(
    client, key, subscribed, privacy_officer, auditor
):
    call(client, "post", "/api/v1/consents/events/", key, {**EVENT, "action": "given"})
    jobs.webhooks_sweep()
    delivery = WebhookDelivery.objects.get()
    client.force_login(auditor)
    page = client.get(f"/admin/api/webhookdelivery/{delivery.pk}/change/")
    assert page.status_code == 200 and b"consent.given" in page.content
    refused = client.post(
        "/admin/api/webhookdelivery/",
        {"action": "replay", "_selected_action": [delivery.pk]},
    )
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED  # the auditor cannot replay
    assert refused.status_code in (200, 302, 403)
    client.force_login(privacy_officer)
    listing = client.get("/admin/api/webhookdelivery/")
    assert listing.status_code == 200 and "Afgeleverd" in listing.content.decode()
    client.post(
        "/admin/api/webhookdelivery/", {"action": "replay", "_selected_action": [delivery.pk]}
    )
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 0)
    assert jobs.webhooks_sweep() == 1
    assert len(subscribed.received) == 2 and subscribed.received[1]["valid"]
    assert not ApiCall.objects.filter(route__contains="admin").exists()
