"""Data subjects, what they can consent to, and the ledger that proves what they said.

`ConsentEvent` is append-only: the model refuses to update or delete a row, and so does the
database (triggers, see `triggers.py`). Each event is chained to the one before it by its hash
(`ledger_hash.py`). `ConsentState` keeps the current answer per subject × purpose, written in the
same transaction as each event, so "may we contact this person?" is a single indexed read.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from consents.ledger_hash import GENESIS, EventContent


class DataSubject(models.Model):
    """One person, keyed by a normalised e-mail address (consents.addresses), or — a caller who
    gave only a number — by a phone number in E.164 (consents.phones). After erasure only
    `email_hash` (a keyed HMAC of the address or number) remains, so an opt-out is still honoured
    if they come back."""

    email = models.EmailField(_("e-mailadres"), unique=True, null=True, blank=True)
    email_hash = models.CharField(_("sleutelhash e-mail"), max_length=64, unique=True)
    name = models.CharField(_("naam"), max_length=200, blank=True)
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    # The phone number in E.164 (consents.phones), written with `phone` by the services: what a
    # search by number and a caller known only by phone are found by.
    phone_e164 = models.CharField(_("telefoon (E.164)"), max_length=20, blank=True, editable=False)
    organisation = models.CharField(_("onderwijsorganisatie"), max_length=200, blank=True)
    function = models.CharField(_("functie"), max_length=150, blank=True)
    customer_until = models.DateField(
        _("klant tot"),
        null=True,
        blank=True,
        help_text=_(
            "Laatste aankoop of einde abonnement: de soft opt-in loopt twee jaar daarna af."
        ),
    )
    is_restricted = models.BooleanField(_("verwerking beperkt (art. 18)"), default=False)
    erased_at = models.DateTimeField(_("gewist op"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    # A subject that turned out to be another spelling of the same address (issue 19): merged
    # into that one, its row kept (without details) because its ledger events name it and their
    # keyed hashes cover that. The services follow it to the subject it was merged into.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("samengevoegd met"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
    )
    merged_at = models.DateTimeField(_("samengevoegd op"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("betrokkene")
        verbose_name_plural = _("betrokkenen")
        ordering = ["email"]
        constraints = [
            # Known by an address, or — a caller who gave only a number — by a phone number,
            # until erased; after erasure or a merge no address.
            models.CheckConstraint(
                condition=Q(erased_at__isnull=True, email__isnull=False)
                | (Q(erased_at__isnull=True, email__isnull=True) & ~Q(phone_e164=""))
                | Q(erased_at__isnull=False, email__isnull=True)
                | Q(merged_into__isnull=False, email__isnull=True),
                name="consents_subject_email_until_erased",
            )
        ]
        indexes = [
            # The admin list's order (the first page is an index range, not a sort of the table).
            models.Index(fields=["email", "-id"], name="subject_list"),
            # A search by phone number and a caller known only by number (consents.phones).
            models.Index(fields=["phone_e164"], name="consents_subject_phone"),
        ]

    def __str__(self):
        if self.merged_into_id:
            return _("betrokkene #%(pk)s, samengevoegd met #%(into)s") % {
                "pk": self.pk,
                "into": self.merged_into_id,
            }
        if self.email:
            return self.email
        if self.erased_at is None and self.phone:
            return self.phone
        return _("gewiste betrokkene #%(pk)s") % {"pk": self.pk}

    def identity_ids(self) -> list[int]:
        """This subject's id and those of the subjects merged into it: whose ledger events are
        this person's. One query."""
        return [self.pk, *DataSubject.objects.filter(merged_into=self).values_list("pk", flat=True)]


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    POST = "post", _("Post")
    PHONE = "phone", _("Telefoon")
    WEB = "web", _("Website")


class PurposeBasis(models.TextChoices):
    CONSENT = "consent", _("Toestemming")
    SOFT_OPT_IN = "soft_opt_in", _("Soft opt-in (Tw art. 11.7)")


class ConsentPurpose(models.Model):
    """Something a person can opt in to or out of, tied to its processing activity."""

    slug = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("naam"), max_length=200)
    activity = models.ForeignKey(
        "privacy_register.ProcessingActivity",
        verbose_name=_("verwerking"),
        on_delete=models.PROTECT,
        related_name="consent_purposes",
    )
    channel = models.CharField(_("kanaal"), max_length=8, choices=Channel.choices)
    legal_basis = models.CharField(_("grondslag"), max_length=16, choices=PurposeBasis.choices)
    is_active = models.BooleanField(_("actief"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("doel")
        verbose_name_plural = _("doelen")
        ordering = ["name"]
        # The admin list's order (the first page is an index range, not a sort of the table).
        indexes = [models.Index(fields=["name", "-id"], name="purpose_list")]

    def __str__(self):
        return self.name

    @property
    def current_version(self):
        return self.versions.order_by("-number").first()


class ConsentPurposeVersion(models.Model):
    """The exact wording a person saw. Never changed: new wording is a new version."""

    purpose = models.ForeignKey(ConsentPurpose, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("versie"))
    wording = models.TextField(_("tekst"))
    valid_from = models.DateTimeField(_("geldig vanaf"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tekstversie")
        verbose_name_plural = _("tekstversies")
        ordering = ["purpose", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["purpose", "number"], name="consents_version_unique")
        ]

    def __str__(self):
        return f"{self.purpose} v{self.number}"


class Action(models.TextChoices):
    GIVEN = "given", _("Gegeven")
    WITHDRAWN = "withdrawn", _("Ingetrokken")
    EXPIRED = "expired", _("Verlopen")


class Method(models.TextChoices):
    WEB_FORM = "web_form", _("Webformulier")
    DOUBLE_OPT_IN = "double_opt_in", _("Bevestiging double opt-in")
    UNSUBSCRIBE_LINK = "unsubscribe_link", _("Afmeldlink")
    PHONE = "phone", _("Telefonisch via klantenservice")
    PAPER = "paper", _("Op papier")
    IMPORT = "import", _("Import")
    PREFERENCE_CENTRE = "preference_centre", _("Voorkeurencentrum")
    REQUEST = "request", _("Privacyverzoek")
    SYSTEM = "system", _("Systeem (termijn verlopen)")


# The reference of a soft opt-in lapse: this prefix and the id of the event that gave the consent
# (consents.jobs); the database writes each lapse once (`consents_event_one_per_lapse`).
LAPSE_REFERENCE = "soft-opt-in:"


class AppendOnly(ValidationError):
    pass


class ConsentEvent(models.Model):
    """One line of the ledger. No personal data: the subject is a key, the reference is a request
    reference, a campaign code or an import batch."""

    # Empty while the event is queued: recorded, in the state, not yet integrated into the chain
    # and the tree by the sequencer (services.ledger_integrate), and so not yet proven.
    sequence = models.PositiveBigIntegerField(
        _("volgnummer"), unique=True, null=True, editable=False
    )
    subject = models.ForeignKey(
        DataSubject, on_delete=models.PROTECT, related_name="consent_events"
    )
    purpose = models.ForeignKey(ConsentPurpose, on_delete=models.PROTECT, related_name="events")
    purpose_version = models.ForeignKey(
        ConsentPurposeVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("handeling"), max_length=10, choices=Action.choices)
    occurred_at = models.DateTimeField(_("gebeurd op"))
    recorded_at = models.DateTimeField(_("vastgelegd op"))
    method = models.CharField(_("verzamelwijze"), max_length=20, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vastgelegd door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reference = models.CharField(_("referentie"), max_length=100, blank=True)
    previous_hash = models.CharField(_("vorige hash"), max_length=64, editable=False)
    # The id of the ledger key the hash was computed with (consents.ledger_keys), so keys rotate.
    key_id = models.CharField(_("sleutel"), max_length=12, editable=False, default="")
    hash = models.CharField(_("hash"), max_length=64, unique=True, null=True, editable=False)

    class Meta:
        verbose_name = _("toestemmingsgebeurtenis")
        verbose_name_plural = _("grootboek")
        ordering = ["sequence"]
        indexes = [
            models.Index(fields=["subject", "purpose"], name="consents_event_subject"),
            # The admin's list: by sequence, then -pk (added as the sequence may be null).
            models.Index(fields=["sequence", "-id"], name="consents_event_list"),
            # The sequencer's queue: the events not yet integrated, oldest first.
            models.Index(
                fields=["id"], condition=Q(sequence__isnull=True), name="consents_event_queued"
            ),
        ]
        constraints = [
            # Two expiry runs at once write a lapse once: the second insert is refused.
            models.UniqueConstraint(
                fields=["subject", "purpose", "reference"],
                condition=Q(action="expired", reference__startswith=LAPSE_REFERENCE),
                name="consents_event_one_per_lapse",
            )
        ]

    def __str__(self):
        number = f"#{self.sequence}" if self.sequence else _("in de wachtrij")
        return f"{number} {self.get_action_display()} · {self.purpose_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly(_("Het grootboek is alleen-toevoegen: een gebeurtenis wijzigt nooit."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly(_("Het grootboek is alleen-toevoegen: een gebeurtenis blijft altijd."))

    @property
    def is_integrated(self) -> bool:
        """In the chain and the tree, so provable (a receipt's inclusion proof)."""
        return self.sequence is not None

    def content(self) -> EventContent:
        return EventContent(
            sequence=self.sequence,
            subject_id=self.subject_id,
            purpose_id=self.purpose_id,
            purpose_version_id=self.purpose_version_id,
            action=self.action,
            occurred_at=self.occurred_at,
            recorded_at=self.recorded_at,
            method=self.method,
            recorded_by_id=self.recorded_by_id,
            reference=self.reference,
        )


class MerkleNode(models.Model):
    """A complete subtree of the ledger's Merkle tree (RFC 9162), from `merkle.STORED_LEVEL` up:
    what inclusion and consistency proofs are built from without a rescan. Append-only."""

    level = models.PositiveSmallIntegerField()
    index = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("knoop van de Merkle-boom")
        verbose_name_plural = _("knopen van de Merkle-boom")
        constraints = [
            models.UniqueConstraint(fields=["level", "index"], name="consents_merkle_node_unique")
        ]

    def __str__(self):
        return f"{self.level}/{self.index}"


class LedgerHead(models.Model):
    """The head of the chain and the right edge of the tree (one row), kept with every append so
    the next one costs O(log n). Written by the services only; the verifier recomputes it."""

    tree_size = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS)
    edge = models.JSONField(default=list)

    class Meta:
        verbose_name = _("kop van het grootboek")
        verbose_name_plural = _("kop van het grootboek")

    def __str__(self):
        return str(self.tree_size)


class LedgerCheckpoint(models.Model):
    """A signed statement of the tree's size and root at a moment (a signed tree head, RFC 9162
    §4.10). Each is also written to the append-only store outside the database (`anchor.py`).
    Append-only."""

    tree_size = models.PositiveBigIntegerField(_("aantal gebeurtenissen"))
    root_hash = models.CharField(_("wortelhash"), max_length=64)
    signed_at = models.DateTimeField(_("ondertekend op"))
    key_id = models.CharField(_("sleutel"), max_length=12)
    signature = models.CharField(_("handtekening"), max_length=100)

    class Meta:
        verbose_name = _("controlepunt")
        verbose_name_plural = _("controlepunten")
        ordering = ["-tree_size", "-signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["tree_size", "signed_at"], name="consents_checkpoint_unique"
            )
        ]

    def __str__(self):
        return f"{self.tree_size} @ {self.signed_at:%Y-%m-%d %H:%M:%S}"

    def payload(self) -> dict:
        from consents.checkpoints import payload

        return payload(
            tree_size=self.tree_size,
            root_hash=self.root_hash,
            signed_at=self.signed_at,
            key_id=self.key_id,
            signature=self.signature,
        )


class ConsentState(models.Model):
    """The current answer per subject × purpose: the last event's action."""

    subject = models.ForeignKey(DataSubject, on_delete=models.CASCADE, related_name="consents")
    purpose = models.ForeignKey(ConsentPurpose, on_delete=models.CASCADE, related_name="states")
    status = models.CharField(_("status"), max_length=10, choices=Action.choices)
    since = models.DateTimeField(_("sinds"))
    last_event = models.ForeignKey(ConsentEvent, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("huidige toestemming")
        verbose_name_plural = _("huidige toestemmingen")
        constraints = [
            models.UniqueConstraint(fields=["subject", "purpose"], name="consents_state_unique")
        ]
        indexes = [
            models.Index(fields=["purpose", "status", "subject"], name="consents_state_lookup")
        ]

    def __str__(self):
        return f"{self.subject} · {self.purpose}: {self.get_status_display()}"
