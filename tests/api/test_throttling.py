"""Calls are counted per client, all its keys together: one busy system is slowed down (429, in
the one error shape) while another goes on."""

import pytest

from tests.api.conftest import call

pytestmark = pytest.mark.django_db


def test_a_client_over_its_rate_gets_429_and_another_client_goes_on(
    client, make_key, settings, newsletter
):
    settings.API_RATE_LIMIT = "3/min"
    busy, calm = make_key(), make_key()
    for _ in range(3):
        assert call(client, "get", "/api/v1/webhooks/", busy).status_code == 200
    refused = call(client, "get", "/api/v1/webhooks/", busy)
    assert refused.status_code == 429
    assert refused.json()["errors"][0]["code"] == "throttled"
    assert "Retry-After" in refused
    assert call(client, "get", "/api/v1/webhooks/", calm).status_code == 200


def test_all_keys_of_a_client_share_its_rate(client, key, settings):
    from api.models import ApiClient
    from api.services import apikey_create

    settings.API_RATE_LIMIT = "2/min"
    second = apikey_create(client=ApiClient.objects.get())[1]
    assert call(client, "get", "/api/v1/webhooks/", key).status_code == 200
    assert call(client, "get", "/api/v1/webhooks/", second).status_code == 200
    assert call(client, "get", "/api/v1/webhooks/", key).status_code == 429
    assert call(client, "get", "/api/v1/webhooks/", second).status_code == 429
