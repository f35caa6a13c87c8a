"""Requests filed by another system: the desk's intake and clocks, the channel recorded as the
calling client, and a client follows only the requests it filed."""

import pytest

from api.models import FiledRequest
from requests_desk.models import Channel, DataSubjectRequest
from tests.api.conftest import call

pytestmark = pytest.mark.django_db

BODY = {"kind": "erasure", "name": "An de Vries", "email": "an@example.nl"}


def test_a_request_filed_by_the_webshop_is_on_the_desk_with_its_clocks(client, make_key):
    key = make_key(["requests:write", "requests:read"], name="Webshop")
    response = call(client, "post", "/api/v1/requests/", key, BODY)
    assert response.status_code == 201, response.content
    filed = DataSubjectRequest.objects.get()
    assert filed.channel == Channel.API
    assert FiledRequest.objects.get(request=filed).client.name == "Webshop"
    assert response.json()["reference"] == filed.reference
    assert response.json()["due_on"] == filed.due_on.isoformat()
    assert response.json()["target_on"] == filed.target_on.isoformat()
    status = call(client, "get", f"/api/v1/requests/{filed.reference}/", key)
    assert status.status_code == 200 and status.json()["status"] == filed.status


def test_a_client_cannot_follow_a_request_it_did_not_file(client, make_key):
    mine = make_key(["requests:write", "requests:read"])
    other = make_key(["requests:read"])
    reference = call(client, "post", "/api/v1/requests/", mine, BODY).json()["reference"]
    assert call(client, "get", f"/api/v1/requests/{reference}/", other).status_code == 404


def test_the_desks_refusal_comes_back_in_the_error_shape(client, key):
    response = call(client, "post", "/api/v1/requests/", key, {"kind": "access", "name": "An"})
    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [
            {
                "code": "contact",
                "detail": "Vul ten minste een e-mailadres, telefoonnummer of adres in.",
                "attr": None,
            }
        ],
    }
    assert not DataSubjectRequest.objects.exists()
