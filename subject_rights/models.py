"""The access package (Art. 15 and 20 GDPR) built for a request, the log of its downloads, and
the announced lifting of a restriction (Art. 18(3)).

The package is a ZIP in private storage (never under a public URL), encrypted by the
application. The requester receives a signed link; the package expires and can be downloaded a
limited number of times. Neither row holds personal data: the file does, and erasure removes it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

import config.storage


class AccessPackage(models.Model):
    request = models.ForeignKey(
        "requests_desk.DataSubjectRequest",
        verbose_name=_("verzoek"),
        on_delete=models.CASCADE,
        related_name="access_packages",
    )
    # The "packages" storage encrypts every package (config/storage.py), on disk or in S3.
    file = models.FileField(
        _("bestand"), upload_to="inzagepakketten/", storage=config.storage.packages, blank=True
    )
    built_at = models.DateTimeField(_("gemaakt op"), default=timezone.now)
    build_seconds = models.FloatField(_("bouwtijd (seconden)"), default=0)
    size_bytes = models.PositiveBigIntegerField(_("grootte (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    expires_at = models.DateTimeField(_("verloopt op"))
    max_downloads = models.PositiveSmallIntegerField(_("maximaal aantal downloads"))
    downloads = models.PositiveSmallIntegerField(_("aantal downloads"), default=0)

    class Meta:
        verbose_name = _("inzagepakket")
        verbose_name_plural = _("inzagepakketten")
        ordering = ["-built_at"]
        permissions = [
            ("erase_subject", _("Kan de gegevens van een betrokkene definitief wissen")),
            ("lift_restriction", _("Kan een beperking van de verwerking opheffen")),
        ]
        # The admin list's order (the first page is an index range, not a sort of the table).
        indexes = [models.Index(fields=["built_at", "id"], name="package_list")]

    def __str__(self):
        return f"{self.request.reference} · {self.built_at:%Y-%m-%d %H:%M}"

    def refusal(self, *, now=None) -> str:
        """Why this package may not be downloaded now; empty when it may."""
        now = now or timezone.now()
        if not self.file:
            return str(_("Dit pakket is niet meer beschikbaar."))
        if now >= self.expires_at:
            return str(_("Deze downloadlink is verlopen."))
        if self.downloads >= self.max_downloads:
            return str(_("Deze downloadlink is al het maximale aantal keren gebruikt."))
        return ""


class PackageDownload(models.Model):
    """One download of a package: when, and nothing about who (no IP address is kept)."""

    package = models.ForeignKey(
        AccessPackage, on_delete=models.CASCADE, related_name="download_log"
    )
    at = models.DateTimeField(_("tijdstip"), default=timezone.now)

    class Meta:
        verbose_name = _("download")
        verbose_name_plural = _("downloads")
        ordering = ["at"]

    def __str__(self):
        return f"{self.package} · {self.at:%Y-%m-%d %H:%M}"


class RestrictionLift(models.Model):
    """A restriction's lifting, announced before it happens (Art. 18(3) GDPR): the letter names
    the day, the restriction holds until then, and a job lifts it on that day. One announced
    lifting per person at a time (a unique constraint): the job lifts each once."""

    request = models.ForeignKey(
        "requests_desk.DataSubjectRequest",
        verbose_name=_("verzoek"),
        on_delete=models.CASCADE,
        related_name="restriction_lifts",
    )
    subject = models.ForeignKey(
        "consents.DataSubject",
        verbose_name=_("betrokkene"),
        on_delete=models.CASCADE,
        related_name="restriction_lifts",
    )
    reason = models.TextField(_("reden"))
    announced_at = models.DateTimeField(_("aangekondigd op"), default=timezone.now)
    announced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangekondigd door"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    lift_on = models.DateField(_("opheffen op"))
    lifted_at = models.DateTimeField(_("opgeheven op"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("opheffing van een beperking")
        verbose_name_plural = _("opheffingen van beperkingen")
        ordering = ["lift_on", "pk"]
        indexes = [models.Index(fields=["lifted_at", "lift_on"], name="rights_lift_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["subject"],
                condition=models.Q(lifted_at__isnull=True),
                name="rights_one_pending_lift",
            )
        ]

    def __str__(self):
        return f"{self.request.reference} · {self.lift_on:%Y-%m-%d}"
