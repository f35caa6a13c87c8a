"""URL × role → status for the export screen, the job pages and the log. Auditors and the
privacy officer export; nobody adds, changes or deletes a log row; a file is only its owner's."""

import pytest

from audit_exports.models import ExportJob
from audit_exports.services import export_start
from tests.audit_exports.conftest import HISTORY
from tests.conftest import ADMIN_NEVER, MATRIX_ROLES, assert_status

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = 302  # the admin sends everyone who is not staff to its login page
OPEN = {"anonymous": 302, "no_role": 302, "agent": 302, "privacy_officer": 200, "auditor": 200}


@pytest.fixture
def own_job(request, history, settings):
    """A finished export of the role's own user (the privacy officer's for the others)."""

    def make(role):
        user = request.getfixturevalue(role if role == "auditor" else "privacy_officer")
        return export_start(by=user, tables=[HISTORY], fmt="csv")

    return make


def pages(job):
    """The export pages of a job of the role's own user."""
    base = "/admin/audit_exports/exportjob/"
    return {
        f"{base}nieuw/": OPEN,
        base: OPEN,
        f"{base}{job.pk}/change/": OPEN,
        f"{base}{job.pk}/voortgang/": OPEN,
        f"{base}{job.pk}/status/": OPEN,
        f"{base}{job.pk}/download/": OPEN,
        f"{base}add/": ADMIN_NEVER,
        f"{base}{job.pk}/delete/": ADMIN_NEVER,
    }


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_export_pages(client_as, own_job, role):
    client = client_as(role)
    for url, expected in pages(own_job(role)).items():
        assert_status(client, url, expected[role])


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_posting_an_export(client_as, history, role):
    expected = {**OPEN}
    data = {"tables": [HISTORY], "format": "csv"}
    assert_status(
        client_as(role), "/admin/audit_exports/exportjob/nieuw/", expected[role], "post", data
    )
    assert ExportJob.objects.count() == (1 if expected[role] == 200 else 0)


def test_a_log_row_cannot_be_changed_by_the_privacy_officer(client_as, own_job):
    job = own_job("privacy_officer")
    client = client_as("privacy_officer")
    client.post(f"/admin/audit_exports/exportjob/{job.pk}/change/", {"format": "json"})
    job.refresh_from_db()
    assert job.format == "csv"


def test_someone_elses_export_is_not_found(client_as, own_job):
    job = own_job("privacy_officer")
    client = client_as("auditor")
    for page in ("voortgang", "status", "download"):
        assert_status(client, f"/admin/audit_exports/exportjob/{job.pk}/{page}/", 404)


def test_the_export_permission_is_the_auditors_and_the_officers_only(
    auditor, agent, privacy_officer
):
    assert auditor.has_perm("audit_exports.export_history")
    assert privacy_officer.has_perm("audit_exports.export_history")
    assert not agent.has_perm("audit_exports.export_history")
    assert not auditor.has_perm("audit_exports.change_exportjob")
