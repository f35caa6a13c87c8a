"""Every endpoint × every scope, and every staff role: a key answers only for the scope the
endpoint asks (403 otherwise, 401 without a valid key); a staff session is no key (401), so the
API never serves a signed-in browser. The admin pages of the API are in
tests/accounts/test_admin_matrix.py, the schema and docs in
tests/accounts/test_permission_matrix.py."""

import pytest

from api.models import Scope
from tests.api.conftest import ALL_SCOPES, call
from tests.conftest import MATRIX_ROLES

pytestmark = pytest.mark.django_db

EVENT = {
    "email": "an@example.nl",
    "purpose": "nieuwsbrief",
    "action": "given",
    "method": "web_form",
}
REQUEST = {"kind": "access", "name": "An de Vries", "email": "an@example.nl"}
HOOK = {"url": "http://127.0.0.1:9/hook", "events": ["subject.erased"]}

# (method, url, body, the scope it needs, the status when the key has it)
ENDPOINTS = [
    ("post", "/api/v1/consents/events/", EVENT, Scope.CONSENTS_WRITE, 201),
    ("post", "/api/v1/consents/events/batch/", {"events": [EVENT]}, Scope.CONSENTS_WRITE, 201),
    ("post", "/api/v1/consents/lookup/", {"email": "an@example.nl"}, Scope.CONSENTS_READ, 200),
    (
        "post",
        "/api/v1/may-contact/",
        {"email": "an@example.nl", "purpose": "nieuwsbrief"},
        Scope.CONSENTS_READ,
        200,
    ),
    (
        "post",
        "/api/v1/may-contact/bulk/",
        {"emails": ["an@example.nl"], "purpose": "nieuwsbrief"},
        Scope.CONSENTS_READ,
        200,
    ),
    ("post", "/api/v1/requests/", REQUEST, Scope.REQUESTS_WRITE, 201),
    ("get", "/api/v1/requests/AVG-2026-99999/", None, Scope.REQUESTS_READ, 404),
    ("get", "/api/v1/webhooks/", None, Scope.WEBHOOKS, 200),
    ("post", "/api/v1/webhooks/", HOOK, Scope.WEBHOOKS, 201),
    ("delete", "/api/v1/webhooks/999999/", None, Scope.WEBHOOKS, 404),
]
IDS = [f"{method} {url}" for method, url, *_rest in ENDPOINTS]


@pytest.mark.parametrize("scope", ALL_SCOPES)
@pytest.mark.parametrize(("method", "url", "body", "needs", "allowed"), ENDPOINTS, ids=IDS)
def test_a_key_is_answered_only_for_the_scope_the_endpoint_asks(
    client, make_key, newsletter, scope, method, url, body, needs, allowed
):
    response = call(client, method, url, make_key([scope]), body)
    expected = allowed if scope == needs else 403
    assert response.status_code == expected, response.content
    if expected == 403:
        assert response.json()["errors"][0]["code"] == "permission_denied"


@pytest.mark.parametrize(("method", "url", "body", "needs", "allowed"), ENDPOINTS, ids=IDS)
def test_without_a_valid_key_every_endpoint_is_401(
    client, make_key, method, url, body, needs, allowed
):
    assert call(client, method, url, None, body).status_code == 401
    assert call(client, method, url, "abcdefgh.wrong", body).status_code == 401
    assert call(client, method, url, make_key([needs]) + "x", body).status_code == 401


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_a_staff_session_is_not_a_key(client_as, register, role):
    client = client_as(role)
    for method, url, body, _needs, _allowed in ENDPOINTS:
        response = call(client, method, url, None, body)
        assert response.status_code == 401, f"{role} {method} {url}: {response.status_code}"


def test_an_inactive_client_or_a_revoked_key_is_401(client, make_key, newsletter):
    from api.models import ApiClient, ApiKey
    from api.services import apikeys_revoke

    key = make_key([Scope.WEBHOOKS])
    assert call(client, "get", "/api/v1/webhooks/", key).status_code == 200
    apikeys_revoke(keys=list(ApiKey.objects.all()))
    assert call(client, "get", "/api/v1/webhooks/", key).status_code == 401
    other = make_key([Scope.WEBHOOKS])
    ApiClient.objects.update(is_active=False)
    assert call(client, "get", "/api/v1/webhooks/", other).status_code == 401


def test_a_key_records_its_last_use_and_every_call_is_logged_without_personal_data(
    client, key, newsletter
):
    from api.models import ApiCall, ApiKey

    call(
        client,
        "post",
        "/api/v1/may-contact/",
        key,
        {"email": "an@example.nl", "purpose": "nieuwsbrief"},
    )
    assert ApiKey.objects.get().last_used_at is not None
    logged = ApiCall.objects.get()
    assert (logged.method, logged.route, logged.status) == ("POST", "api/v1/may-contact/", 200)
    assert "an@example.nl" not in str(ApiCall.objects.values().get())
