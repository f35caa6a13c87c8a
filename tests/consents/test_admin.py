"""The ledger in the admin: the subject's timeline, receipts, versions; and who may do what."""

import json

import pytest

from consents.models import ConsentEvent, ConsentPurposeVersion
from consents.services import consent_give
from tests.conftest import MATRIX_ROLES, assert_status

pytestmark = pytest.mark.django_db

STAFF_READ = {
    "anonymous": 302,
    "no_role": 302,
    "agent": 302,
    "privacy_officer": 200,
    "auditor": 200,
}
OFFICER = {"anonymous": 302, "no_role": 302, "agent": 302, "privacy_officer": 200, "auditor": 403}
NEVER = {"anonymous": 302, "no_role": 302, "agent": 302, "privacy_officer": 403, "auditor": 403}
DESK = {"anonymous": 302, "no_role": 403, "agent": 200, "privacy_officer": 200, "auditor": 403}


@pytest.fixture
def event(subject, purpose):
    return consent_give(subject=subject, purpose=purpose, method="web_form")


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_consents_urls(client_as, event, role):
    base = "/admin/consents/"
    matrix = {
        f"{base}datasubject/": STAFF_READ,
        f"{base}datasubject/{event.subject_id}/change/": STAFF_READ,
        f"{base}datasubject/{event.subject_id}/history/": STAFF_READ,
        f"{base}datasubject/{event.subject_id}/delete/": NEVER,
        f"{base}consentpurpose/": STAFF_READ,
        f"{base}consentpurpose/add/": OFFICER,
        f"{base}consentpurpose/{event.purpose_id}/change/": STAFF_READ,
        f"{base}consentevent/": STAFF_READ,
        f"{base}consentevent/add/": NEVER,
        f"{base}consentevent/{event.pk}/change/": STAFF_READ,
        f"{base}consentevent/{event.pk}/delete/": NEVER,
        f"{base}consentevent/{event.pk}/ontvangstbewijs/": STAFF_READ,
        "/desk/toestemmingen/": DESK,
    }
    client = client_as(role)
    for url, expected in matrix.items():
        assert_status(client, url, expected[role])


def test_the_subject_page_shows_the_current_state_and_the_timeline(client_as, event):
    body = (
        client_as("auditor")
        .get(f"/admin/consents/datasubject/{event.subject_id}/change/")
        .content.decode()
    )
    assert "huidige toestemmingen" in body.lower() and "Gegeven" in body
    assert "ontvangstbewijs" in body.lower()


def test_the_receipt_carries_the_kantara_fields(client_as, event, register):
    response = client_as("auditor").get(f"/admin/consents/consentevent/{event.pk}/ontvangstbewijs/")
    receipt = json.loads(response.content)
    for field in (
        "version",
        "jurisdiction",
        "consentTimestamp",
        "collectionMethod",
        "consentReceiptID",
        "piiPrincipalId",
        "piiControllers",
        "policyUrl",
        "services",
        "sensitive",
    ):
        assert field in receipt
    assert receipt["piiPrincipalId"] == f"subject-{event.subject_id}"
    assert "joke@" not in response.content.decode()
    purpose = receipt["services"][0]["purposes"][0]
    assert purpose["consentType"] == "EXPLICIT" and purpose["wording"]
    assert receipt["piiControllers"][0]["piiController"] == "Rezulto B.V."


def test_a_new_wording_becomes_the_next_version(client_as, purpose):
    client = client_as("privacy_officer")
    url = f"/admin/consents/consentpurpose/{purpose.pk}/change/"
    data = {
        "slug": purpose.slug,
        "name": purpose.name,
        "activity": purpose.activity_id,
        "channel": "email",
        "legal_basis": "consent",
        "is_active": "on",
        "versions-TOTAL_FORMS": "1",
        "versions-INITIAL_FORMS": "1",
        "versions-MIN_NUM_FORMS": "0",
        "versions-MAX_NUM_FORMS": "1000",
        "versions-0-id": purpose.versions.get().pk,
        "versions-0-purpose": purpose.pk,
        "versions-2-TOTAL_FORMS": "1",
        "versions-2-INITIAL_FORMS": "0",
        "versions-2-MIN_NUM_FORMS": "0",
        "versions-2-MAX_NUM_FORMS": "1",
        "versions-2-0-wording": "Nieuwe, duidelijkere tekst",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(purpose.versions.values_list("number", "wording")) == [
        (2, "Nieuwe, duidelijkere tekst"),
        (1, "Ja, stuur mij de nieuwsbrief."),
    ]
    assert ConsentPurposeVersion.objects.count() == 2


def test_the_ledger_cannot_be_changed_from_the_admin(client_as, event):
    url = f"/admin/consents/consentevent/{event.pk}/change/"
    client_as("privacy_officer").post(url, {"action": "withdrawn"})
    assert ConsentEvent.objects.get(pk=event.pk).action == "given"
