"""The API's tests share a calling system with a real key (made by the service, as the admin
does) and one helper that calls with it."""

import json

import pytest

from api.models import ApiClient, Scope
from api.services import apikey_create
from privacy_register.models import System
from tests.factories.consents import purpose_with_wording

ALL_SCOPES = list(Scope.values)


@pytest.fixture
def make_key(register):
    """make_key(["consents:read"]) → the full key of a new client with those scopes."""
    made = []

    def make(scopes=ALL_SCOPES, name=None):
        client = ApiClient.objects.create(
            name=name or f"Systeem {len(made) + 1}", system=System.objects.first(), scopes=scopes
        )
        made.append(client)
        return apikey_create(client=client)[1]

    return make


@pytest.fixture
def key(make_key):
    return make_key()


@pytest.fixture
def newsletter(register):
    return purpose_with_wording(slug="nieuwsbrief")


def call(client, method, url, key=None, body=None, **headers):
    """One API call as an outside system makes it: JSON body, the key in Authorization."""
    if key:
        headers["HTTP_AUTHORIZATION"] = f"Api-Key {key}"
    if method == "get":
        return client.get(url, **headers)
    return getattr(client, method)(
        url, json.dumps(body or {}), content_type="application/json", **headers
    )


def lines(response) -> list[dict]:
    """The streamed NDJSON answer of the bulk check, read."""
    return [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
