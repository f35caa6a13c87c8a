"""With the sequencer not inline (production's default, issue 19) one recorded event waits in the
ledger's queue: the API's answers claim no sequence number, hash or receipt that does not exist
yet, say "queued", and show them once the sequencer has integrated the event. The batch endpoint
goes through the batch path, which numbers its events in the call: its numbers are real."""

import pytest

from consents.models import ConsentEvent
from consents.services import ledger_integrate
from tests.api.conftest import call

pytestmark = pytest.mark.django_db

EVENT = {"purpose": "nieuwsbrief", "action": "given", "method": "web_form", "version": 1}


@pytest.fixture(autouse=True)
def queued(settings):
    settings.CONSENT_SEQUENCER_INLINE = False


def _lookup(client, key):
    response = call(client, "post", "/api/v1/consents/lookup/", key, {"email": "an@example.nl"})
    assert response.status_code == 200, response.content
    [consent] = response.json()["consents"]
    return consent


def test_one_event_answers_queued_with_no_number_then_the_lookup_shows_it_once_integrated(
    client, key, newsletter
):
    body = {**EVENT, "email": "an@example.nl"}
    response = call(client, "post", "/api/v1/consents/events/", key, body)
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["status"] == "queued"
    assert answer["sequence"] is None and answer["hash"] is None
    assert ConsentEvent.objects.get().sequence is None  # it really is not numbered yet
    assert call(client, "post", "/api/v1/may-contact/", key, body).json() == {"may_contact": True}

    consent = _lookup(client, key)
    assert (consent["status"], consent["ledger_status"]) == ("given", "queued")
    assert consent["sequence"] is None and consent["receipt"] is None

    assert ledger_integrate() == 1
    consent = _lookup(client, key)
    assert (consent["ledger_status"], consent["sequence"]) == ("integrated", 1)
    assert consent["receipt"]["consentReceiptID"].startswith("rezulto-1-")
    assert consent["receipt"]["ledgerProof"]["leafIndex"] == 0


def test_a_retry_of_a_queued_event_answers_as_the_first_call_did(client, key, newsletter):
    body = {**EVENT, "email": "an@example.nl"}
    first = call(client, "post", "/api/v1/consents/events/", key, body, HTTP_IDEMPOTENCY_KEY="q1")
    again = call(client, "post", "/api/v1/consents/events/", key, body, HTTP_IDEMPOTENCY_KEY="q1")
    assert again.json() == first.json() and first.json()["status"] == "queued"
    assert ConsentEvent.objects.count() == 1


def test_the_batch_is_numbered_in_the_call_even_with_the_sequencer_not_inline(
    client, key, newsletter
):
    call(client, "post", "/api/v1/consents/events/", key, {**EVENT, "email": "q@example.nl"})
    events = [{**EVENT, "email": f"p{i}@example.nl"} for i in range(3)]
    response = call(client, "post", "/api/v1/consents/events/batch/", key, {"events": events})
    assert response.status_code == 201, response.content
    answer = response.json()
    numbered = ConsentEvent.objects.filter(sequence__isnull=False).order_by("sequence")
    assert answer == {
        "status": "integrated",
        "recorded": 3,
        "first_sequence": numbered.first().sequence,
        "last_sequence": numbered.last().sequence,
    }
    assert numbered.count() == 3  # the one queued before is still waiting
    assert ConsentEvent.objects.filter(sequence__isnull=True).count() == 1
