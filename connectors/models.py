"""A connector per system of the register: how to reach one person's data where it actually lives,
and the record of each time we did (a run per request, system and operation)."""

import os

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Kind(models.TextChoices):
    SQL = "sql", _("SQL-database")
    HTTP = "http", _("HTTP (ons koppelvlak)")
    MANUAL = "manual", _("Handmatig (taak op het verzoek)")


class Connector(models.Model):
    """How the privacy office reaches one system. The secret (a database URL for SQL, the signing
    key for HTTP) is never stored: the connector names the environment variable that holds it."""

    system = models.OneToOneField(
        "privacy_register.System",
        verbose_name=_("systeem"),
        on_delete=models.PROTECT,
        related_name="connector",
    )
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices, default=Kind.MANUAL)
    enabled = models.BooleanField(_("actief"), default=True)
    secret_env = models.CharField(
        _("omgevingsvariabele met het geheim"),
        max_length=100,
        blank=True,
        validators=[
            RegexValidator(
                r"^[A-Z][A-Z0-9_]*$",
                _("Hoofdletters, cijfers en _, bijvoorbeeld WEBSHOP_DATABASE_URL."),
            )
        ],
        help_text=_(
            "SQL: de variabele bevat de database-URL (SQLAlchemy). HTTP: de variabele bevat de "
            "sleutel waarmee verzoeken worden ondertekend. Het geheim zelf staat nooit in de "
            "database."
        ),
    )
    base_url = models.URLField(_("adres van het koppelvlak (HTTP)"), blank=True)
    mapping = models.TextField(
        _("datasetmapping (YAML)"),
        blank=True,
        help_text=_("Tabellen, identiteitskolom, koppelingen en wat wissen per veld doet."),
    )
    mapping_version = models.PositiveIntegerField(_("versie van de mapping"), default=0)
    timeout_seconds = models.PositiveIntegerField(_("time-out (seconden)"), default=30)
    last_dry_run_at = models.DateTimeField(_("laatste proefrun"), null=True, blank=True)
    last_dry_run_ok = models.BooleanField(_("proefrun geslaagd"), null=True, blank=True)
    last_dry_run_report = models.JSONField(_("uitkomst proefrun"), default=dict, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("koppeling")
        verbose_name_plural = _("koppelingen")
        ordering = ["system__name"]

    def __str__(self):
        return f"{self.system} ({self.get_kind_display()})"

    @property
    def is_automatic(self) -> bool:
        """Whether this connector carries out requests itself (a manual one is a task)."""
        return self.enabled and self.kind in (Kind.SQL, Kind.HTTP)

    def secret_is_set(self) -> bool:
        return bool(self.secret_env and os.environ.get(self.secret_env))

    def secret(self) -> str:
        """The secret from the environment; never logged, never stored."""
        return os.environ.get(self.secret_env, "") if self.secret_env else ""


class Operation(models.TextChoices):
    ACCESS = "access", _("inzage")
    ERASE = "erase", _("wissen")
    RECTIFY = "rectify", _("correctie")
    RESTRICT = "restrict", _("beperking")


class RunStatus(models.TextChoices):
    WAITING = "waiting", _("wacht")
    DONE = "done", _("klaar")
    FAILED = "failed", _("mislukt")


class ConnectorRun(models.Model):
    """One operation of one connector for one request: its state, what it found or did (counts
    per table, the rows kept and why) and why it failed. No personal data: counts and reasons."""

    request = models.ForeignKey(
        "requests_desk.DataSubjectRequest", on_delete=models.CASCADE, related_name="connector_runs"
    )
    connector = models.ForeignKey(Connector, on_delete=models.PROTECT, related_name="runs")
    operation = models.CharField(_("handeling"), max_length=10, choices=Operation.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.WAITING
    )
    records = models.PositiveIntegerField(_("records"), default=0)
    report = models.JSONField(_("verslag"), default=dict, blank=True)
    error = models.TextField(_("fout"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    mapping_version = models.PositiveIntegerField(_("versie van de mapping"), default=0)
    # The fetched data waits here (in storage, like the package itself) until the package is built.
    data = models.FileField(_("gegevens"), upload_to="connector-runs/", blank=True)
    started_at = models.DateTimeField(_("gestart op"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    # The dotted path of a function (request id) the rights gave, called once every run is done.
    then = models.CharField(max_length=200, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("uitvoering van een koppeling")
        verbose_name_plural = _("uitvoeringen van koppelingen")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "connector", "operation"], name="connectors_run_once"
            )
        ]

    def __str__(self):
        return (
            f"{self.connector.system} — {self.get_operation_display()}: {self.get_status_display()}"
        )

    # What an erasure run did, from its report (counts and reasons; never personal data).
    @property
    def erased(self) -> int:
        return sum(self.report.get("deleted", {}).values())

    @property
    def nulled(self) -> int:
        return sum(self.report.get("updated", {}).values())

    @property
    def kept(self) -> list[dict]:
        return self.report.get("kept", [])

    @property
    def kept_rows(self) -> int:
        return sum(entry.get("rows", 0) for entry in self.kept)
