"""URL × role → status for the connectors' admin pages: the officer configures and runs the dry
run, the auditor reads (and runs nothing: a dry run reads a person's data), nobody else gets in."""

import pytest

from tests.conftest import ADMIN_LOOK, ADMIN_NEVER, ADMIN_OUT, MATRIX_ROLES, assert_status

pytestmark = pytest.mark.django_db

OFFICER_ONLY = {**ADMIN_OUT, "privacy_officer": 200, "auditor": 403}


def pages(connector):
    return {
        "/admin/connectors/connector/": ADMIN_LOOK,
        "/admin/connectors/connector/add/": OFFICER_ONLY,
        f"/admin/connectors/connector/{connector.pk}/change/": ADMIN_LOOK,
        f"/admin/connectors/connector/{connector.pk}/history/": ADMIN_LOOK,
        f"/admin/connectors/connector/{connector.pk}/dry-run/": OFFICER_ONLY,
        f"/admin/connectors/connector/{connector.pk}/delete/": OFFICER_ONLY,
        "/admin/connectors/connectorrun/": ADMIN_LOOK,
        "/admin/connectors/connectorrun/add/": ADMIN_NEVER,
    }


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_connector_pages_by_role(
    client_as, role, webshop_connector, privacy_officer, auditor, agent
):
    client = client_as(role)
    for url, expected in pages(webshop_connector).items():
        assert_status(client, url, expected[role])


def test_an_auditor_cannot_post_a_dry_run(client_as, webshop_connector, auditor):
    url = f"/admin/connectors/connector/{webshop_connector.pk}/dry-run/"
    assert_status(client_as("auditor"), url, 403, method="post", data={"email": "a@b.nl"})
