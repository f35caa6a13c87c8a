"""The export job: stream every row of the chosen tables into a file in constant memory, record
progress, the row count and the file's SHA-256, and put the file in the "exports" storage (a
folder, or the shared object store: any web server can then offer it); and the sweep of expired
files."""

import hashlib
import logging
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.utils import timezone

from audit_exports.models import ExportJob, JobStatus
from audit_exports.tables import exportable_tables
from audit_exports.writers import WRITERS, extension
from config.storage import exports as export_storage

log = logging.getLogger(__name__)
FOLDER = "audit_exports"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def export_run(*, job_id: int) -> ExportJob:
    """Write the export of one job. Safe to run twice: a job that is done is left alone."""
    job = ExportJob.objects.get(pk=job_id)
    if job.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
        return job
    jobs = ExportJob.objects.filter(pk=job.pk)
    name = f"export-{job.pk}-{secrets.token_hex(8)}.{extension(job.format, len(job.tables))}"
    jobs.update(status=JobStatus.RUNNING, started_at=timezone.now(), rows_done=0)
    known = exportable_tables()
    sections = (
        (
            known[label].model.__name__,
            known[label].headers(),
            known[label].rows(
                date_from=job.date_from, date_to=job.date_to, spreadsheet=job.format == "xlsx"
            ),
        )
        for label in job.tables
    )
    # The writers need a seekable local file (XlsxWriter, zipfile); it is written in this
    # process's temporary folder and handed to the storage whole, then removed.
    with tempfile.TemporaryDirectory(prefix="audit-export-") as folder:
        path = Path(folder) / name
        try:
            rows = WRITERS[job.format](path, sections, lambda done: jobs.update(rows_done=done))
            sha256 = _sha256(path)
            with path.open("rb") as file:
                stored = export_storage().save(f"{FOLDER}/{name}", File(file, name=name))
        except Exception as error:
            log.exception("export %s failed", job.pk)
            jobs.update(status=JobStatus.FAILED, error=repr(error), finished_at=timezone.now())
            raise
    now = timezone.now()
    jobs.update(
        status=JobStatus.DONE,
        file=stored,
        sha256=sha256,
        rows_done=rows,
        rows_total=rows,
        finished_at=now,
        expires_at=now + timedelta(hours=settings.AUDIT_EXPORT_RETENTION_HOURS),
    )
    job.refresh_from_db()
    return job


def exports_expire(*, now=None) -> int:
    """Delete the files of exports past AUDIT_EXPORT_RETENTION_HOURS; their log rows stay."""
    now = now or timezone.now()
    expired = list(ExportJob.objects.filter(expires_at__lte=now).exclude(file="").only("file"))
    storage = export_storage()
    for job in expired:
        storage.delete(job.file)  # a missing file is no error, in every backend
    ExportJob.objects.filter(pk__in=[job.pk for job in expired]).update(
        file="", status=JobStatus.EXPIRED
    )
    return len(expired)
