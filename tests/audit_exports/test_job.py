"""A large export runs as a job: queued, streamed to a file with progress, offered, expired."""

import datetime as dt
import hashlib

import pytest
from django.utils import timezone

from audit_exports import jobs, writers
from audit_exports.models import JobStatus
from audit_exports.services import export_start
from audit_exports.tasks import export_run_task
from config.storage import exports as export_storage
from tests.audit_exports.conftest import HISTORY, fetched

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(settings, auditor, history, django_capture_on_commit_callbacks):
    settings.AUDIT_EXPORT_INLINE_MAX_ROWS = 2
    with django_capture_on_commit_callbacks() as callbacks:
        job = export_start(by=auditor, tables=[HISTORY], fmt="xlsx")
    assert len(callbacks) == 1  # the Celery task, sent once the log row is committed
    return job


def test_the_celery_task_runs_the_job(queued):
    export_run_task(queued.pk)  # the task's function, called in this process
    queued.refresh_from_db()
    assert queued.status == JobStatus.DONE and queued.rows_done == 5


def test_a_large_export_is_queued_with_its_total(queued):
    assert queued.status == JobStatus.QUEUED
    assert (queued.rows_done, queued.rows_total, queued.file) == (0, 5, "")


def test_the_job_writes_the_file_and_records_rows_and_hash(queued, settings):
    job = jobs.export_run(job_id=queued.pk)
    assert job.status == JobStatus.DONE and job.rows_done == 5
    assert job.sha256 == hashlib.sha256(fetched(job).read_bytes()).hexdigest()
    assert jobs.export_run(job_id=queued.pk).file == job.file  # a second run leaves it alone


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json"])
def test_every_writer_reports_its_progress(fmt, tmp_path, monkeypatch):
    monkeypatch.setattr(writers, "PROGRESS_EVERY", 2)
    seen = []
    sections = [("A", ["x"], iter([[1], [2], [3]])), ("B", ["y"], iter([[4], [5]]))]
    assert writers.WRITERS[fmt](tmp_path / "out", sections, seen.append) == 5
    assert seen == [2, 4]


def test_the_progress_page_polls_the_status_and_offers_the_file(queued, client_as):
    client = client_as("auditor")
    page = client.get(f"/admin/audit_exports/exportjob/{queued.pk}/voortgang/").content.decode()
    assert '<progress id="export-progress" max="5" value="0">' in page
    assert "audit_exports/progress.js" in page and "<script>" not in page
    status = f"/admin/audit_exports/exportjob/{queued.pk}/status/"
    assert client.get(status).json()["download_url"] is None
    jobs.export_run(job_id=queued.pk)
    body = client.get(status).json()
    assert (body["status"], body["rows_done"], body["rows_total"]) == ("done", 5, 5)
    download = client.get(body["download_url"])
    assert download.status_code == 200 and download["Content-Disposition"].endswith('.xlsx"')


def test_files_expire_and_their_log_stays(queued, settings):
    job = jobs.export_run(job_id=queued.pk)
    name = job.file
    assert export_storage().exists(name)
    assert jobs.exports_expire(now=job.expires_at - dt.timedelta(minutes=1)) == 0
    assert jobs.exports_expire(now=timezone.now() + dt.timedelta(hours=25)) == 1
    job.refresh_from_db()
    assert not export_storage().exists(name) and job.file == "" and job.status == JobStatus.EXPIRED
    assert job.sha256 and job.rows_done == 5


def test_an_expired_file_is_no_longer_offered(queued, client_as):
    jobs.export_run(job_id=queued.pk)
    jobs.exports_expire(now=timezone.now() + dt.timedelta(days=2))
    response = client_as("auditor").get(f"/admin/audit_exports/exportjob/{queued.pk}/download/")
    assert response.status_code == 404


def test_the_expiry_runs_every_hour(settings):
    assert settings.CELERY_BEAT_SCHEDULE["audit-exports-expire"]["task"] == (
        "audit_exports.tasks.exports_expire"
    )
