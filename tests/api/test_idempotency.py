"""`Idempotency-Key`: a retried call gets the first answer and writes nothing; the same key with
another body (or on another endpoint) is refused; keys are per client."""

import pytest

from consents.models import ConsentEvent
from requests_desk.models import DataSubjectRequest
from tests.api.conftest import call

pytestmark = pytest.mark.django_db

EVENT = {
    "email": "an@example.nl",
    "purpose": "nieuwsbrief",
    "action": "given",
    "method": "web_form",
}


def test_a_retried_consent_gets_the_same_answer_and_writes_once(client, key, newsletter):
    first = call(client, "post", "/api/v1/consents/events/", key, EVENT, HTTP_IDEMPOTENCY_KEY="a1")
    again = call(client, "post", "/api/v1/consents/events/", key, EVENT, HTTP_IDEMPOTENCY_KEY="a1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert ConsentEvent.objects.count() == 1


def test_the_same_key_with_another_body_is_refused_and_writes_nothing(client, key, newsletter):
    call(client, "post", "/api/v1/consents/events/", key, EVENT, HTTP_IDEMPOTENCY_KEY="a1")
    other = call(
        client,
        "post",
        "/api/v1/consents/events/",
        key,
        {**EVENT, "action": "withdrawn"},
        HTTP_IDEMPOTENCY_KEY="a1",
    )
    assert other.status_code == 400
    assert other.json()["errors"][0] == {
        "code": "idempotency_conflict",
        "detail": "Deze Idempotency-Key is al gebruikt voor een andere aanvraag.",
        "attr": "Idempotency-Key",
    }
    assert ConsentEvent.objects.count() == 1


def test_the_same_key_on_another_endpoint_is_refused(client, key, newsletter):
    call(client, "post", "/api/v1/consents/events/", key, EVENT, HTTP_IDEMPOTENCY_KEY="a1")
    batch = call(
        client, "post", "/api/v1/consents/events/batch/", key, EVENT, HTTP_IDEMPOTENCY_KEY="a1"
    )
    assert batch.status_code == 400


def test_a_key_belongs_to_one_client(client, make_key, newsletter):
    one, two = make_key(), make_key()
    call(client, "post", "/api/v1/consents/events/", one, EVENT, HTTP_IDEMPOTENCY_KEY="a1")
    call(client, "post", "/api/v1/consents/events/", two, EVENT, HTTP_IDEMPOTENCY_KEY="a1")
    assert ConsentEvent.objects.count() == 2


def test_a_retried_batch_and_a_retried_request_write_once(client, key, newsletter):
    batch = {"events": [EVENT, {**EVENT, "email": "bo@example.nl"}]}
    for _ in range(2):
        answer = call(
            client, "post", "/api/v1/consents/events/batch/", key, batch, HTTP_IDEMPOTENCY_KEY="b"
        )
        assert answer.status_code == 201 and answer.json()["recorded"] == 2
    assert ConsentEvent.objects.count() == 2
    body = {"kind": "erasure", "name": "An de Vries", "email": "an@example.nl"}
    first = call(client, "post", "/api/v1/requests/", key, body, HTTP_IDEMPOTENCY_KEY="r")
    again = call(client, "post", "/api/v1/requests/", key, body, HTTP_IDEMPOTENCY_KEY="r")
    assert again.json()["reference"] == first.json()["reference"]
    assert DataSubjectRequest.objects.count() == 1


def test_a_refused_call_stores_no_answer_so_a_corrected_retry_is_written(client, key, newsletter):
    wrong = call(
        client,
        "post",
        "/api/v1/consents/events/",
        key,
        {**EVENT, "purpose": "onbekend"},
        HTTP_IDEMPOTENCY_KEY="c",
    )
    assert wrong.status_code == 400
    assert wrong.json()["errors"][0]["code"] == "unknown_purpose"
    right = call(client, "post", "/api/v1/consents/events/", key, EVENT, HTTP_IDEMPOTENCY_KEY="d")
    assert right.status_code == 201
