"""The log of every auditor export: who exported which tables, with which filters, how many rows,
the file's SHA-256, and when. A log row stays after its file has expired."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Format(models.TextChoices):
    XLSX = "xlsx", "XLSX (Excel)"
    CSV = "csv", "CSV"
    JSON = "json", "JSON"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("In de wachtrij")
    RUNNING = "running", _("Bezig")
    DONE = "done", _("Klaar")
    FAILED = "failed", _("Mislukt")
    EXPIRED = "expired", _("Verlopen")


class ExportJob(models.Model):
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("aangevraagd op"), default=timezone.now, db_index=True)
    tables = models.JSONField(_("tabellen"), default=list)
    date_from = models.DateField(_("vanaf"), null=True, blank=True)
    date_to = models.DateField(_("tot en met"), null=True, blank=True)
    format = models.CharField(_("formaat"), max_length=4, choices=Format.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    rows_total = models.PositiveBigIntegerField(_("rijen totaal"), default=0)
    rows_done = models.PositiveBigIntegerField(_("rijen klaar"), default=0)
    file = models.CharField(_("bestand"), max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    started_at = models.DateTimeField(_("gestart op"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    expires_at = models.DateTimeField(_("verloopt op"), null=True, blank=True, db_index=True)
    error = models.TextField(_("fout"), blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exportlog")
        ordering = ["-created_at"]
        permissions = [("export_history", _("Mag de geschiedenis exporteren"))]
        # The admin list's order (the first page is an index range, not a sort of the table).
        indexes = [models.Index(fields=["created_at", "id"], name="export_job_list")]

    def __str__(self):
        return f"#{self.pk} {', '.join(self.tables)} ({self.format})"

    @property
    def is_downloadable(self) -> bool:
        return self.status == JobStatus.DONE and bool(self.file)

    @property
    def percent(self) -> int:
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 100
