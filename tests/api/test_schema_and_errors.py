"""The OpenAPI schema at /api/v1/schema/, its docs served from the installed package under the
site's CSP, and the one error shape with stable codes, in Dutch or English by Accept-Language."""

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command

from tests.api.conftest import call

pytestmark = pytest.mark.django_db


def test_the_schema_is_openapi_3_with_every_endpoint_and_the_error_shape(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/v1/consents/events/",
        "/api/v1/consents/events/batch/",
        "/api/v1/consents/lookup/",
        "/api/v1/may-contact/",
        "/api/v1/may-contact/bulk/",
        "/api/v1/requests/",
        "/api/v1/requests/{reference}/",
        "/api/v1/webhooks/",
        "/api/v1/webhooks/{id}/",
    } <= set(schema["paths"])
    assert "ErrorResponse" in schema["components"]["schemas"]
    assert schema["components"]["securitySchemes"]["ApiKey"]["in"] == "header"


def test_the_schema_generates_valid_and_without_a_warning(tmp_path):
    # --fail-on-warn: an enum-name clash (several fields called `status`) would fail here.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )
    assert (
        "LedgerStatusEnum"
        in yaml.safe_load((tmp_path / "schema.yaml").read_text())["components"]["schemas"]
    )


def test_the_docs_come_from_the_package_with_no_outside_host_and_the_csp_intact(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "http://" not in html and "https://" not in html and "<script>" not in html
    for path in (
        "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
        "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css",
        "api/docs.js",
    ):
        assert f"/static/{path}" in html and finders.find(path)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


@pytest.mark.parametrize(
    ("language", "detail"),
    [("nl", "Geef een API-sleutel mee."), ("en", "Send an API key.")],
)
def test_an_error_has_one_shape_a_stable_code_and_the_callers_language(
    client, register, language, detail
):
    response = call(client, "get", "/api/v1/webhooks/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 401
    assert response.json() == {
        "type": "client_error",
        "errors": [{"code": "not_authenticated", "detail": detail, "attr": None}],
    }


@pytest.mark.parametrize(
    ("language", "detail"), [("nl", "Dit veld is verplicht."), ("en", "This field is required.")]
)
def test_a_missing_field_is_named_with_its_code_in_the_callers_language(
    client, key, language, detail
):
    response = call(
        client, "post", "/api/v1/may-contact/", key, {"purpose": "x"}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.json() == {
        "type": "validation_error",
        "errors": [{"code": "required", "detail": detail, "attr": "email"}],
    }


def test_an_unknown_purpose_is_refused_in_english_too(client, key):
    response = call(
        client,
        "post",
        "/api/v1/may-contact/",
        key,
        {"email": "a@example.nl", "purpose": "geen"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.json()["errors"][0] == {
        "code": "unknown_purpose",
        "detail": "Unknown purpose 'geen'.",
        "attr": "purpose",
    }


@pytest.mark.parametrize(("language", "detail"), [("nl", "Niet gevonden."), ("en", "Not found.")])
@pytest.mark.parametrize(
    ("method", "url"), [("delete", "/api/v1/webhooks/geen-getal/"), ("get", "/api/v1/onbekend/")]
)
def test_a_url_no_api_view_answers_is_the_error_shape_not_a_page(
    client, key, method, url, language, detail
):
    response = call(client, method, url, key, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "type": "client_error",
        "errors": [{"code": "not_found", "detail": detail, "attr": None}],
    }
