"""Schemathesis against the API's own OpenAPI schema: for every operation a bounded,
derandomized search of generated calls (with a key holding every scope), both calls that fit
the schema and calls that do not (a wrong type, a missing field, an id that is not a number),
must never answer a 500, and every answer must match the schema: its status code, content type
and body.

One plain test, not `schemathesis.pytest.from_fixture` (which does not run under our pytest):
the schema is loaded from the app itself (`from_wsgi`), each operation's cases are drawn by
Hypothesis, and each case is called through the WSGI app and validated."""

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode, openapi
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.models import ApiClient, FiledRequest, WebhookSubscription
from config.wsgi import application
from requests_desk.models import Channel
from requests_desk.services import request_open
from tests.api.conftest import lines

pytestmark = pytest.mark.django_db(transaction=False)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# The bulk check streams NDJSON (one JSON object a line), which OpenAPI can only describe as a
# string; schemathesis cannot parse the body for the schema check. It is asserted below instead.
STREAMED = "POST /api/v1/may-contact/bulk/"


@pytest.fixture
def wsgi_in_the_test_transaction():
    """Calls go through the real WSGI app, whose request signals close the database connection
    (inside the test's transaction, on PostgreSQL). Django's test client switches that off for its
    own calls; the same here, for the length of the test."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield application
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def test_every_operation_answers_as_its_schema_says_and_never_500(
    wsgi_in_the_test_transaction, key, newsletter
):
    client = ApiClient.objects.get()
    filed = request_open(
        kind="access",
        channel=Channel.API,
        requester_name="Jan Jansen",
        requester_email="jan@example.nl",
        received_at=timezone.now(),
    )
    FiledRequest.objects.create(client=client, request=filed)
    WebhookSubscription.objects.create(
        client=client, url="https://crm.example.nl/hook", events=["consent.withdrawn"]
    )
    headers = {"Authorization": f"Api-Key {key}"}
    schema = openapi.from_wsgi("/api/v1/schema/?format=json", wsgi_in_the_test_transaction)

    labels = []
    for result in schema.get_all_operations():
        operation = result.ok()
        labels.append(operation.label)
        if operation.label == STREAMED:
            continue

        @settings(
            max_examples=20,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(
            case=operation.as_strategy(GenerationMode.POSITIVE)
            | operation.as_strategy(GenerationMode.NEGATIVE)
        )
        def check(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        check()

    assert STREAMED in labels and len(labels) >= 10


def test_the_streamed_bulk_check_answers_ndjson_of_its_documented_shape(client, key, newsletter):
    response = client.post(
        "/api/v1/may-contact/bulk/",
        {"purpose": "nieuwsbrief", "emails": ["a@example.nl", "", "geen-adres"]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Api-Key {key}",
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-ndjson"
    assert lines(response) == [
        {"email": "a@example.nl", "may_contact": False},
        {"email": "", "may_contact": False},
        {"email": "geen-adres", "may_contact": False},
    ]
