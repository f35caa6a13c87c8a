"""The connectors in the admin: the officer edits and imports the mapping (validated, numbered per
version, with history), the secret is shown only as set or not, and the dry run shows per table
what an erasure would do."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from connectors import webshop
from connectors.models import Connector
from privacy_register.models import System
from tests.connectors.conftest import ANNA

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "system": System.objects.get(slug="crm").pk,
        "kind": "sql",
        "enabled": "on",
        "secret_env": "CRM_DATABASE_URL",
        "base_url": "",
        "timeout_seconds": 30,
        "mapping": webshop.MAPPING,
    }
    return {**data, **overrides}


def test_the_officer_adds_a_connector_and_each_mapping_edit_is_a_new_version(client_as, register):
    client = client_as("privacy_officer")
    response = client.post("/admin/connectors/connector/add/", _form())
    assert response.status_code == 302
    connector = Connector.objects.get(system__slug="crm")
    assert connector.mapping_version == 1
    changed = webshop.MAPPING.replace('value: "verwijderd"', 'value: "anoniem"')
    url = f"/admin/connectors/connector/{connector.pk}/change/"
    assert client.post(url, _form(mapping=changed)).status_code == 302
    connector.refresh_from_db()
    assert connector.mapping_version == 2 and "anoniem" in connector.mapping
    assert connector.history.count() == 2
    assert connector.history.earliest().mapping == webshop.MAPPING.strip()


def test_a_bad_mapping_is_refused_with_the_readable_errors(client_as, register):
    response = client_as("privacy_officer").post(
        "/admin/connectors/connector/add/", _form(mapping="version: 1\ntables: {}\n")
    )
    assert response.status_code == 200
    assert "verplicht veld ontbreekt: identity" in response.content.decode()
    assert not Connector.objects.exists()


def test_a_mapping_is_imported_from_a_file(client_as, register):
    upload = SimpleUploadedFile("webshop.yaml", webshop.MAPPING.encode())
    data = _form(mapping="")
    data["mapping_file"] = upload
    assert (
        client_as("privacy_officer").post("/admin/connectors/connector/add/", data).status_code
        == 302
    )
    assert Connector.objects.get().mapping.strip() == webshop.MAPPING.strip()


def test_the_admin_shows_whether_the_secret_is_set_never_the_secret(
    client_as, webshop_connector, monkeypatch
):
    monkeypatch.setenv("WEBSHOP_TEST_URL", "sqlite:////tmp/hush-hush-secret.sqlite3")
    client = client_as("auditor")
    page = client.get(f"/admin/connectors/connector/{webshop_connector.pk}/change/").content
    listing = client.get("/admin/connectors/connector/").content.decode()
    assert b"hush-hush" not in page and "gezet" in listing
    monkeypatch.delenv("WEBSHOP_TEST_URL")
    assert "niet gezet" in client.get("/admin/connectors/connector/").content.decode()


def test_the_dry_run_shows_counts_per_table_and_records_its_outcome(client_as, webshop_connector):
    url = f"/admin/connectors/connector/{webshop_connector.pk}/dry-run/"
    response = client_as("privacy_officer").post(url, {"email": ANNA.email})
    page = response.content.decode()
    assert response.status_code == 200 and "Verbinding gelukt" in page
    assert "<td>order_lines</td>" in page and "<td>invoices</td>" in page
    webshop_connector.refresh_from_db()
    assert webshop_connector.last_dry_run_ok is True
    assert webshop_connector.last_dry_run_report["tables"]["invoices"]["keep"] == 1
    assert ANNA.email not in str(webshop_connector.last_dry_run_report)


def test_a_dry_run_without_the_secret_fails_and_says_why(client_as, webshop_connector, monkeypatch):
    monkeypatch.delenv("WEBSHOP_TEST_URL")
    url = f"/admin/connectors/connector/{webshop_connector.pk}/dry-run/"
    page = client_as("privacy_officer").post(url, {"email": ANNA.email}).content.decode()
    assert "Proefrun mislukt" in page and "WEBSHOP_TEST_URL" in page
    webshop_connector.refresh_from_db()
    assert webshop_connector.last_dry_run_ok is False
