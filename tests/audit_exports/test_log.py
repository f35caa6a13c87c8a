"""Every export is logged: who, which tables, which filters, how many rows, the file's SHA-256."""

import datetime as dt
import hashlib
import json

import pytest

from audit_exports.models import ExportJob, JobStatus
from tests.audit_exports.conftest import HISTORY

pytestmark = pytest.mark.django_db
NEW = "/admin/audit_exports/exportjob/nieuw/"


def test_a_small_export_downloads_at_once_and_is_logged_with_the_files_hash(client_as, history):
    response = client_as("auditor").post(
        NEW, {"tables": [HISTORY], "format": "csv", "date_from": "2020-01-01"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    content = b"".join(response.streaming_content)
    job = ExportJob.objects.get()
    assert job.created_by.username == "anna"
    assert (job.tables, job.format, job.date_from, job.date_to) == (
        [HISTORY],
        "csv",
        dt.date(2020, 1, 1),
        None,
    )
    assert job.status == JobStatus.DONE and job.rows_done == job.rows_total == 5
    assert job.sha256 == hashlib.sha256(content).hexdigest()
    assert job.started_at <= job.finished_at < job.expires_at


def test_the_form_refuses_a_range_that_ends_before_it_starts(client_as, history):
    response = client_as("auditor").post(
        NEW,
        {"tables": [HISTORY], "format": "csv", "date_from": "2026-02-01", "date_to": "2026-01-01"},
    )
    assert response.status_code == 200
    assert "De begindatum ligt na de einddatum." in response.content.decode()
    assert not ExportJob.objects.exists()


def test_the_log_itself_is_exportable(client_as, history):
    client = client_as("auditor")
    client.post(NEW, {"tables": [HISTORY], "format": "json"})
    response = client.post(NEW, {"tables": ["audit_exports.exportjob"], "format": "json"})
    rows = json.loads(b"".join(response.streaming_content))["ExportJob"]
    assert [(row["door"], row["formaat"], row["rijen klaar"]) for row in rows][0] == (
        ExportJob.objects.first().created_by.get_full_name(),
        "JSON",
        5,
    )
