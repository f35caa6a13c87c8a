"""The consents endpoints with a real key: scope checked, an event recorded through the ledger,
a retry with the same Idempotency-Key writes nothing, another body with that key is refused."""

import pytest

from api.models import ApiClient
from api.services import apikey_create
from consents.models import ConsentEvent
from privacy_register.models import System
from tests.factories.consents import purpose_with_wording

pytestmark = pytest.mark.django_db


def _key(scopes):
    client = ApiClient.objects.create(name="Webshop", system=System.objects.first(), scopes=scopes)
    return apikey_create(client=client)[1]


def _post(client, url, key, body, **headers):
    return client.post(
        url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Api-Key {key}", **headers
    )


def test_a_consent_is_recorded_once_and_then_may_contact_says_yes(client, register):
    purpose = purpose_with_wording()
    key = _key(["consents:write", "consents:read"])
    body = {
        "email": "An@Example.nl",
        "purpose": purpose.slug,
        "action": "given",
        "method": "web_form",
    }
    first = _post(client, "/api/v1/consents/events/", key, body, HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == 201, first.content
    again = _post(client, "/api/v1/consents/events/", key, body, HTTP_IDEMPOTENCY_KEY="k1")
    assert again.status_code == 201 and again.json() == first.json()
    assert ConsentEvent.objects.count() == 1
    other = _post(
        client,
        "/api/v1/consents/events/",
        key,
        {**body, "action": "withdrawn"},
        HTTP_IDEMPOTENCY_KEY="k1",
    )
    assert other.status_code == 400
    assert other.json()["errors"][0]["code"] == "idempotency_conflict"
    answer = _post(
        client, "/api/v1/may-contact/", key, {"email": "an@example.nl", "purpose": purpose.slug}
    )
    assert answer.json() == {"may_contact": True}


def test_a_key_without_the_scope_is_refused_and_no_key_is_401(client, register):
    key = _key(["requests:read"])
    body = {"email": "a@example.nl", "purpose": "x"}
    assert _post(client, "/api/v1/may-contact/", key, body).status_code == 403
    assert _post(client, "/api/v1/may-contact/", "nope.nope", body).status_code == 401
    assert (
        client.post("/api/v1/may-contact/", body, content_type="application/json").status_code
        == 401
    )
