"""Starting an auditor export. Small exports are written at once (the view streams the file
back); larger ones go to a Celery job. Either way the export is logged in ExportJob first."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit_exports.jobs import export_run
from audit_exports.models import ExportJob, Format
from audit_exports.tables import exportable_tables
from audit_exports.tasks import export_run_task

EXPORT_PERMISSION = "audit_exports.export_history"


@transaction.atomic
def export_start(
    *,
    by,
    tables: list[str],
    fmt: str,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> ExportJob:
    """Log the export and write it: inline up to AUDIT_EXPORT_INLINE_MAX_ROWS rows, else queued.

    Auditors and the privacy officer may export everything (they hold `export_history`); an
    export reads, it never changes what it exports."""
    if not by.has_perm(EXPORT_PERMISSION):
        raise PermissionDenied
    known = exportable_tables()
    if not tables or any(label not in known for label in tables):
        raise ValidationError(_("Kies een of meer tabellen uit de lijst."))
    if fmt not in Format.values:
        raise ValidationError(_("Onbekend formaat."))
    if date_from and date_to and date_from > date_to:
        raise ValidationError(_("De begindatum ligt na de einddatum."))
    total = sum(known[label].count(date_from=date_from, date_to=date_to) for label in tables)
    job = ExportJob.objects.create(
        created_by=by,
        tables=list(tables),
        format=fmt,
        date_from=date_from,
        date_to=date_to,
        rows_total=total,
    )
    if total <= settings.AUDIT_EXPORT_INLINE_MAX_ROWS:
        export_run(job_id=job.pk)
        job.refresh_from_db()
    else:
        transaction.on_commit(lambda: export_run_task.delay(job.pk))
    return job
