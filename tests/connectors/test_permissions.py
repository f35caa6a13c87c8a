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


def test_retrying_a_failed_run_by_role(
    client_as, webshop_connector, agent, auditor, no_role, monkeypatch
):
    """Who may work requests asks a failed system again; the auditor and others may not."""
    from connectors.models import ConnectorRun, Operation, RunStatus
    from tests.connectors.test_rights import anna

    monkeypatch.setattr("connectors.services.current_app.send_task", lambda *a, **k: None)
    request = anna("access")
    run = ConnectorRun.objects.create(
        request=request,
        connector=webshop_connector,
        operation=Operation.ACCESS,
        status=RunStatus.FAILED,
        error="boom",
    )
    url = f"/desk/{request.reference}/koppelingen/{run.pk}/opnieuw/"
    expected = {"anonymous": 302, "no_role": 403, "auditor": 403, "agent": 302}
    for role, status in expected.items():
        response = assert_status(client_as(role), url, status, method="post")
        if role == "anonymous":
            assert "/accounts/login/" in response["Location"]
    run.refresh_from_db()
    assert run.status == RunStatus.WAITING
    assert_status(client_as("agent"), url, 405)  # GET is refused
