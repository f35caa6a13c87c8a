"""The batch endpoint: up to 10,000 events a call through the ledger's batch path, all or
nothing, the chain as one by one; and a subject's current consents with their receipts."""

import pytest

from api.serializers import BATCH_MAX
from consents.models import ConsentEvent, ConsentState
from consents.selectors import ledger_verify
from tests.api.conftest import call

pytestmark = pytest.mark.django_db

EVENT = {"purpose": "nieuwsbrief", "action": "given", "method": "web_form", "version": 1}


def test_10000_events_in_one_call_join_one_verified_chain(client, key, newsletter):
    events = [{**EVENT, "email": f"p{i}@example.nl"} for i in range(BATCH_MAX)]
    response = call(client, "post", "/api/v1/consents/events/batch/", key, {"events": events})
    assert response.status_code == 201, response.content[:500]
    assert response.json() == {
        "status": "integrated",
        "recorded": BATCH_MAX,
        "first_sequence": 1,
        "last_sequence": BATCH_MAX,
    }
    assert ConsentState.objects.filter(status="given").count() == BATCH_MAX
    assert ledger_verify() == (BATCH_MAX, None)


def test_more_than_10000_events_are_refused(client, key, newsletter):
    events = [{**EVENT, "email": f"p{i}@example.nl"} for i in range(BATCH_MAX + 1)]
    response = call(client, "post", "/api/v1/consents/events/batch/", key, {"events": events})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "max_length"
    assert not ConsentEvent.objects.exists()


def test_one_bad_event_refuses_the_whole_batch_and_names_it(client, key, newsletter):
    events = [
        {**EVENT, "email": "a@example.nl"},
        {**EVENT, "email": "b@example.nl", "purpose": "geen"},
        {**EVENT, "email": "c@example.nl", "version": 7},
    ]
    response = call(client, "post", "/api/v1/consents/events/batch/", key, {"events": events})
    assert response.status_code == 400
    assert {(e["attr"], e["code"]) for e in response.json()["errors"]} == {
        ("events.1.purpose", "unknown_purpose"),
        ("events.2.version", "unknown_version"),
    }
    assert not ConsentEvent.objects.exists()


def test_a_subjects_consents_come_with_their_receipts_and_the_address_stays_out_of_the_url(
    client, key, newsletter
):
    call(client, "post", "/api/v1/consents/events/", key, {**EVENT, "email": "an@example.nl"})
    response = call(client, "post", "/api/v1/consents/lookup/", key, {"email": "An@example.nl"})
    consent = response.json()["consents"][0]
    assert (consent["purpose"], consent["status"]) == ("nieuwsbrief", "given")
    assert consent["receipt"]["consentReceiptID"]
    unknown = call(client, "post", "/api/v1/consents/lookup/", key, {"email": "x@example.nl"})
    assert unknown.json()["consents"] == []


def test_an_event_recorded_by_the_api_names_the_client_and_the_wording(client, key, newsletter):
    call(
        client,
        "post",
        "/api/v1/consents/events/",
        key,
        {**EVENT, "email": "an@example.nl", "reference": "order-17"},
    )
    event = ConsentEvent.objects.get()
    assert (event.method, event.reference, event.purpose_version.number) == (
        "web_form",
        "order-17",
        1,
    )


@pytest.mark.parametrize(
    "event",
    [
        {**EVENT, "email": "a@example.nl"},
        {**EVENT, "email": "a@example.nl", "reference": "order-17"},
        {**EVENT, "email": "a@example.nl", "reference": ""},
        {
            "email": "a@example.nl",
            "purpose": "nieuwsbrief",
            "action": "withdrawn",
            "method": "phone",
        },
        {**EVENT, "email": " Spatie@example.nl "},
        {**EVENT, "email": "a@bücher.example"},
        {**EVENT, "email": "a@example.nl", "version": "2"},
        {**EVENT, "email": "a@example.nl", "occurred_at": "2026-01-02T03:04:05+01:00"},
        {**EVENT, "email": "a@example.nl", "extra": "ignored"},
    ],
)
def test_the_quick_check_of_a_batch_reads_every_event_as_the_serializer_does(event):
    from api.serializers import ConsentBatchIn, consent_batch_valid

    serializer = ConsentBatchIn(data={"events": [event]})
    assert serializer.is_valid()
    assert consent_batch_valid({"events": [event]}) == serializer.validated_data


@pytest.mark.parametrize(
    ("bad", "attr", "code"),
    [
        ({"email": "geen adres"}, "events.1.email", "invalid"),
        ({"email": ["a@example.nl"]}, "events.1.email", "invalid"),
        ({"action": "expired"}, "events.1.action", "invalid_choice"),
        ({"action": ["given"]}, "events.1.action", "invalid_choice"),
        ({"method": "system"}, "events.1.method", "invalid_choice"),
        ({"purpose": "geen doel"}, "events.1.purpose", "invalid"),
        ({"version": 0}, "events.1.version", "min_value"),
        ({"version": True}, "events.1.version", "invalid"),
        ({"reference": "x" * 101}, "events.1.reference", "max_length"),
    ],
)
def test_a_bad_event_is_refused_by_its_place_and_field(client, key, newsletter, bad, attr, code):
    events = [{**EVENT, "email": "a@example.nl"}, {**EVENT, "email": "b@example.nl", **bad}]
    response = call(client, "post", "/api/v1/consents/events/batch/", key, {"events": events})
    assert response.status_code == 400
    assert [(e["attr"], e["code"]) for e in response.json()["errors"]] == [(attr, code)]
    assert not ConsentEvent.objects.exists()


def test_an_opt_out_under_a_tag_in_a_batch_also_holds_for_the_plain_address(
    client, key, newsletter
):
    """As one by one (`consent_withdraw`): a withdrawal for `x+tag@…` also withdraws `x@…`
    when that address had consented, with the same moment and method."""
    given = [{**EVENT, "email": email} for email in ("x@school.nl", "x+lijst@school.nl")]
    call(client, "post", "/api/v1/consents/events/batch/", key, {"events": given})
    out = {
        **EVENT,
        "action": "withdrawn",
        "method": "unsubscribe_link",
        "email": "x+lijst@school.nl",
    }
    response = call(client, "post", "/api/v1/consents/events/batch/", key, {"events": [out]})
    assert response.status_code == 201, response.content[:500]
    assert response.json()["recorded"] == 2
    for email in ("x@school.nl", "x+lijst@school.nl"):
        may = call(
            client, "post", "/api/v1/may-contact/", key, {"email": email, "purpose": "nieuwsbrief"}
        )
        assert may.json()["may_contact"] is False, email
    plain = ConsentEvent.objects.get(subject__email="x@school.nl", action="withdrawn")
    assert plain.method == "unsubscribe_link"
    assert ledger_verify() == (4, None)
