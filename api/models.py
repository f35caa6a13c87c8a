"""The API's own data: the calling systems (clients) and their keys, the call log, the replies
kept for idempotent retries, and the webhook subscriptions with their outbox of deliveries.

Nothing here holds personal data except a webhook delivery's body (the address a newsletter
platform must stop mailing); an erasure's body carries only the keyed hash."""

import hashlib
import hmac
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Scope(models.TextChoices):
    CONSENTS_WRITE = "consents:write", _("Toestemmingen vastleggen")
    CONSENTS_READ = "consents:read", _("Toestemmingen lezen en 'mogen we contact?'")
    REQUESTS_WRITE = "requests:write", _("Verzoeken indienen")
    REQUESTS_READ = "requests:read", _("Verzoeken volgen")
    WEBHOOKS = "webhooks", _("Webhooks beheren")


class ApiClient(models.Model):
    """One calling system of the company (the webshop, the newsletter platform, the CRM, the call
    agency), tied to the register's system it is."""

    name = models.CharField(_("naam"), max_length=150, unique=True)
    system = models.ForeignKey(
        "privacy_register.System",
        verbose_name=_("systeem in het register"),
        on_delete=models.PROTECT,
        related_name="api_clients",
    )
    scopes = models.JSONField(_("rechten"), default=list, blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("API-client")
        verbose_name_plural = _("API-clients")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def has_scope(self, scope: str) -> bool:
        return self.is_active and scope in self.scopes


KEY_PREFIX_LENGTH = 8


def key_digest(secret: str) -> str:
    """SHA-256 of the key's secret part. A key of 256 random bits needs no slow password hash:
    nobody can guess it, and a fast digest keeps every call cheap."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiKey(models.Model):
    """A key of a client: `<prefix>.<secret>`, shown once; only the prefix (to find it) and the
    digest of the secret are stored. A client may hold several keys at once, so a key is rotated
    without downtime: make the new one, switch, revoke the old."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="keys")
    prefix = models.CharField(_("voorvoegsel"), max_length=KEY_PREFIX_LENGTH, unique=True)
    digest = models.CharField(_("hash"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("laatst gebruikt op"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_at", "id"], name="api_key_list")]

    def __str__(self):
        return f"{self.client} · {self.prefix}…"

    def matches(self, secret: str) -> bool:
        return hmac.compare_digest(self.digest, key_digest(secret))


class ApiCall(models.Model):
    """One call, without personal data: the route pattern (never the path or the body), the
    method, the status and the time it took."""

    client = models.ForeignKey(
        ApiClient, on_delete=models.SET_NULL, null=True, blank=True, related_name="calls"
    )
    at = models.DateTimeField(_("op"), default=timezone.now, db_index=True)
    method = models.CharField(_("methode"), max_length=8)
    route = models.CharField(_("route"), max_length=200)
    status = models.PositiveSmallIntegerField(_("status"))
    duration_ms = models.PositiveIntegerField(_("duur (ms)"))

    class Meta:
        verbose_name = _("API-aanroep")
        verbose_name_plural = _("API-aanroepen")
        ordering = ["-at"]
        indexes = [models.Index(fields=["at", "id"], name="api_call_list")]

    def __str__(self):
        return f"{self.method} {self.route} {self.status}"


class IdempotentReply(models.Model):
    """The reply to a call made with an `Idempotency-Key`: a retry with the same key and body gets
    it again, without writing twice; the same key with another body is refused."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    route = models.CharField(max_length=200)
    body_digest = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    reply = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="api_idempotency_once")
        ]

    def __str__(self):
        return f"{self.client_id} · {self.key}"


class FiledRequest(models.Model):
    """A desk request filed through the API, and by which client: a client follows only its own."""

    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="requests")
    request = models.OneToOneField(
        "requests_desk.DataSubjectRequest", on_delete=models.CASCADE, related_name="api_filing"
    )

    class Meta:
        verbose_name = _("verzoek via de API")
        verbose_name_plural = _("verzoeken via de API")

    def __str__(self):
        return f"{self.client_id} · {self.request_id}"


class WebhookEvent(models.TextChoices):
    CONSENT_GIVEN = "consent.given", "consent.given"
    CONSENT_WITHDRAWN = "consent.withdrawn", "consent.withdrawn"
    SUBJECT_RESTRICTED = "subject.restricted", "subject.restricted"
    SUBJECT_RESTRICTION_LIFTED = "subject.restriction_lifted", "subject.restriction_lifted"
    SUBJECT_ERASED = "subject.erased", "subject.erased"
    REQUEST_COMPLETED = "request.completed", "request.completed"


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class WebhookSubscription(models.Model):
    """A client's wish to hear of some events at an address, signed with its own secret."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="subscriptions")
    url = models.URLField(_("adres"), max_length=500)
    events = models.JSONField(_("gebeurtenissen"), default=list)
    secret = models.CharField(_("geheim"), max_length=80, default=new_secret, editable=False)
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    history = HistoricalRecords(excluded_fields=["secret"])

    class Meta:
        verbose_name = _("webhookabonnement")
        verbose_name_plural = _("webhookabonnementen")
        # By the client's id, not its name: a join's order no index of this table can give.
        ordering = ["client_id", "url"]
        indexes = [models.Index(fields=["client", "url", "-id"], name="api_subscription_list")]

    def __str__(self):
        return f"{self.client} → {self.url}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Wacht")
    DELIVERED = "delivered", _("Afgeleverd")
    FAILED = "failed", _("Mislukt")


class WebhookDelivery(models.Model):
    """The webhook outbox: one event for one subscription, written in the transaction of the
    change, sent by a worker, retried with backoff."""

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(_("gebeurtenis"), max_length=40, choices=WebhookEvent.choices)
    body = models.TextField(_("inhoud"))
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    next_attempt_at = models.DateTimeField(_("volgende poging"), default=timezone.now)
    last_status_code = models.PositiveSmallIntegerField(_("laatste statuscode"), null=True)
    last_response = models.TextField(_("laatste antwoord"), blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    delivered_at = models.DateTimeField(_("afgeleverd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhookaflevering")
        verbose_name_plural = _("webhookafleveringen")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="api_delivery_due"),
            models.Index(fields=["created_at", "id"], name="api_delivery_list"),
        ]

    def __str__(self):
        return f"{self.event} → {self.subscription.url} ({self.get_status_display()})"
