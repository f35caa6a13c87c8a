"""The register of processing activities (Art. 30(1) GDPR) and its vocabularies.

What the other apps read from it:
- `ProcessingActivity.objects.active()` — the activities in force;
- `is_searchable_by_subject` and `request_kinds` — whether the activity holds a data subject's
  data findable by their e-mail address or name, and for which kinds of request (the desk's
  values: access, rectification, erasure, restriction, portability, objection_direct_marketing,
  withdraw_consent) it needs a task on the desk's checklist;
- `retention_months` + `retention_event` — the retention rule ("24 months after the last
  purchase", or "until opt-out");
- `legal_basis` and `is_direct_marketing` — what the consent ledger and the statement need;
- the Art. 13/14 items of the statement: `data_source` with `obtained_from_subject`,
  `provision_requirement` with `provision_consequence`, `automated_decisions`, the transfers, and
  the activity's `public_text`. `internal_note` (and `balancing_note`, the transfers' `note`) are
  the office's own and never reach the statement.

Every model keeps its history (django-simple-history); the published statements are never
changed once published.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Controller(models.Model):
    """The controller (verwerkingsverantwoordelijke) and its DPO: Art. 30(1)(a)."""

    name = models.CharField(_("naam"), max_length=200)
    address = models.CharField(_("adres"), max_length=300)
    kvk_number = models.CharField(_("KvK-nummer"), max_length=8)
    email = models.EmailField(_("e-mailadres"))
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    dpo_name = models.CharField(_("functionaris gegevensbescherming"), max_length=200, blank=True)
    dpo_email = models.EmailField(_("e-mailadres FG"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("verwerkingsverantwoordelijke")
        verbose_name_plural = _("verwerkingsverantwoordelijke")
        constraints = [
            models.CheckConstraint(
                condition=Q(kvk_number__regex=r"^[0-9]{8}$"), name="register_kvk_is_8_digits"
            )
        ]

    def __str__(self):
        return self.name


class Vocabulary(models.Model):
    """A term that activities share: a category of data subjects, of data, of recipients."""

    name = models.CharField(_("naam"), max_length=150, unique=True)
    description = models.TextField(_("toelichting"), blank=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class DataSubjectCategory(Vocabulary):
    history = HistoricalRecords()

    class Meta(Vocabulary.Meta):
        verbose_name = _("categorie betrokkenen")
        verbose_name_plural = _("categorieën betrokkenen")


class PersonalDataCategory(Vocabulary):
    is_special = models.BooleanField(
        _("bijzonder persoonsgegeven (art. 9 AVG)"),
        default=False,
        help_text=_("Gezondheid, religie, etniciteit, politieke opvattingen, biometrie, …"),
    )
    history = HistoricalRecords()

    class Meta(Vocabulary.Meta):
        verbose_name = _("categorie persoonsgegevens")
        verbose_name_plural = _("categorieën persoonsgegevens")


class RecipientCategory(Vocabulary):
    history = HistoricalRecords()

    class Meta(Vocabulary.Meta):
        verbose_name = _("categorie ontvangers")
        verbose_name_plural = _("categorieën ontvangers")


class SecurityMeasure(Vocabulary):
    history = HistoricalRecords()

    class Meta(Vocabulary.Meta):
        verbose_name = _("beveiligingsmaatregel")
        verbose_name_plural = _("beveiligingsmaatregelen")


class ProcessorKind(models.TextChoices):
    TECHNICAL = "technical", _("Technische dienstverlener")
    MAILING_HOUSE = "mailing_house", _("Verzendhuis")
    RESEARCH_AGENCY = "research_agency", _("Onderzoeksbureau")
    CALL_AGENCY = "call_agency", _("Belbureau")
    OTHER = "other", _("Overig")


class Processor(models.Model):
    """A verwerker (Art. 28 GDPR) that processes personal data on the controller's behalf."""

    name = models.CharField(_("naam"), max_length=200, unique=True)
    kind = models.CharField(_("soort"), max_length=24, choices=ProcessorKind.choices)
    country = models.CharField(_("land"), max_length=2, default="NL", help_text=_("ISO-code"))
    contact = models.CharField(_("contact"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("verwerker")
        verbose_name_plural = _("verwerkers")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ProcessorAgreement(models.Model):
    """The verwerkersovereenkomst with a processor (Art. 28(3) GDPR)."""

    processor = models.ForeignKey(
        Processor, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("verwerker")
    )
    signed_on = models.DateField(_("getekend op"))
    expires_on = models.DateField(_("verloopt op"), null=True, blank=True)
    document_reference = models.CharField(_("documentverwijzing"), max_length=300)
    sub_processors = models.TextField(_("subverwerkers"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("verwerkersovereenkomst")
        verbose_name_plural = _("verwerkersovereenkomsten")
        ordering = ["processor__name", "-signed_on"]
        # The admin list's order (the first page is an index range, not a sort of the table).
        indexes = [models.Index(fields=["signed_on", "id"], name="agreement_list")]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=models.F("signed_on")),
                name="register_agreement_expires_after_signing",
            )
        ]

    def __str__(self):
        return f"{self.processor} ({self.signed_on:%Y-%m-%d})"

    def is_valid_on(self, day: dt.date) -> bool:
        return self.signed_on <= day and (self.expires_on is None or self.expires_on >= day)


class System(models.Model):
    """An application or data store that holds personal data."""

    name = models.CharField(_("naam"), max_length=150, unique=True)
    slug = models.SlugField(_("code"), unique=True)
    description = models.TextField(_("omschrijving"), blank=True)
    processor = models.ForeignKey(
        Processor,
        verbose_name=_("beheerd door verwerker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="systems",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("systeem")
        verbose_name_plural = _("systemen")
        ordering = ["name"]

    def __str__(self):
        return self.name


class LegalBasis(models.TextChoices):
    CONSENT = "consent", _("Toestemming (art. 6 lid 1 sub a)")
    CONTRACT = "contract", _("Uitvoering overeenkomst (art. 6 lid 1 sub b)")
    LEGAL_OBLIGATION = "legal_obligation", _("Wettelijke verplichting (art. 6 lid 1 sub c)")
    VITAL_INTERESTS = "vital_interests", _("Vitaal belang (art. 6 lid 1 sub d)")
    PUBLIC_TASK = "public_task", _("Algemeen belang (art. 6 lid 1 sub e)")
    LEGITIMATE_INTEREST = "legitimate_interest", _("Gerechtvaardigd belang (art. 6 lid 1 sub f)")


class RetentionEvent(models.TextChoices):
    COLLECTION = "collection", _("na verzameling")
    LAST_CONTACT = "last_contact", _("na het laatste contact")
    LAST_PURCHASE = "last_purchase", _("na de laatste aankoop of het einde van het abonnement")
    END_OF_CONTRACT = "end_of_contract", _("na het einde van de overeenkomst")
    CLOSURE = "closure", _("na afsluiting")
    UNTIL_OPT_OUT = "until_opt_out", _("tot afmelding (opt-out)")


class ProvisionRequirement(models.TextChoices):
    """Whether the person must provide the data (Art. 13(2)(e) GDPR)."""

    STATUTORY = "statutory", _("Wettelijk verplicht")
    CONTRACTUAL = "contractual", _("Contractueel verplicht")
    FOR_CONTRACT = "for_contract", _("Nodig om een overeenkomst te sluiten")
    VOLUNTARY = "voluntary", _("Niet verplicht")
    NOT_PROVIDED = "not_provided", _("Niet van toepassing: de persoon verstrekt de gegevens niet")


class Status(models.TextChoices):
    DRAFT = "draft", _("Concept")
    ACTIVE = "active", _("Actief")
    RETIRED = "retired", _("Beëindigd")


class ActivityQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Status.ACTIVE)


class ProcessingActivity(models.Model):
    """One processing activity of the register, with every field of Art. 30(1) GDPR."""

    slug = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("naam"), max_length=200)
    purposes = models.TextField(_("doeleinden"))
    legal_basis = models.CharField(_("grondslag"), max_length=24, choices=LegalBasis.choices)
    legitimate_interest = models.TextField(
        _("gerechtvaardigd belang"),
        blank=True,
        help_text=_("Verplicht bij grondslag gerechtvaardigd belang: welk belang precies."),
    )
    balancing_note = models.TextField(
        _("belangenafweging"),
        blank=True,
        help_text=_("Waarom het belang zwaarder weegt dan de privacy van de betrokkene."),
    )
    is_direct_marketing = models.BooleanField(_("direct marketing"), default=False)
    data_subject_categories = models.ManyToManyField(
        DataSubjectCategory, verbose_name=_("categorieën betrokkenen"), blank=True
    )
    personal_data_categories = models.ManyToManyField(
        PersonalDataCategory, verbose_name=_("categorieën persoonsgegevens"), blank=True
    )
    recipient_categories = models.ManyToManyField(
        RecipientCategory, verbose_name=_("categorieën ontvangers"), blank=True
    )
    processors = models.ManyToManyField(
        Processor, verbose_name=_("verwerkers"), blank=True, related_name="activities"
    )
    systems = models.ManyToManyField(
        System, verbose_name=_("systemen"), blank=True, related_name="activities"
    )
    security_measures = models.ManyToManyField(
        SecurityMeasure, verbose_name=_("beveiligingsmaatregelen"), blank=True
    )
    data_source = models.CharField(
        _("bron van de gegevens"), max_length=300, blank=True, default=""
    )
    obtained_from_subject = models.BooleanField(
        _("verkregen bij de betrokkene zelf"),
        default=True,
        help_text=_(
            "Uit: de gegevens komen van elders; de privacyverklaring noemt dan de bron "
            "(art. 14 lid 2 sub f AVG)."
        ),
    )
    provision_requirement = models.CharField(
        _("verplichting tot verstrekken"),
        max_length=16,
        choices=ProvisionRequirement.choices,
        blank=True,
        help_text=_("Art. 13 lid 2 sub e AVG; staat in de privacyverklaring."),
    )
    provision_consequence = models.TextField(
        _("gevolg van niet verstrekken"),
        blank=True,
        help_text=_("Wat er gebeurt als iemand de gegevens niet geeft; staat in de verklaring."),
    )
    automated_decisions = models.TextField(
        _("geautomatiseerde besluitvorming"),
        blank=True,
        help_text=_(
            "Besluiten uitsluitend op basis van geautomatiseerde verwerking, profilering "
            "inbegrepen (art. 22 AVG): de logica, het belang en de gevolgen. Leeg: geen. Staat "
            "in de privacyverklaring."
        ),
    )
    public_text = models.TextField(
        _("toelichting in de privacyverklaring"),
        blank=True,
        help_text=_("Openbaar: staat zo in de privacyverklaring."),
    )
    internal_note = models.TextField(
        _("interne notitie"),
        blank=True,
        help_text=_("Alleen voor het privacy office: komt nooit in de privacyverklaring."),
    )
    retention_months = models.PositiveIntegerField(
        _("bewaartermijn (maanden)"), null=True, blank=True
    )
    retention_event = models.CharField(
        _("bewaartermijn loopt vanaf"), max_length=24, choices=RetentionEvent.choices, blank=True
    )
    retention_note = models.TextField(
        _("toelichting bewaartermijn"),
        blank=True,
        help_text=_("Openbaar: staat in de privacyverklaring. Werkaantekeningen: interne notitie."),
    )
    owner = models.CharField(_("eigenaar"), max_length=150, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    next_review_on = models.DateField(_("volgende review"), null=True, blank=True)
    dpia_needed = models.BooleanField(_("DPIA nodig"), default=False)
    dpia_done_on = models.DateField(_("DPIA uitgevoerd op"), null=True, blank=True)
    is_searchable_by_subject = models.BooleanField(
        _("gegevens per persoon vindbaar"),
        default=True,
        help_text=_("Kunnen de gegevens van één persoon hier worden opgezocht (voor verzoeken)?"),
    )
    request_kinds = models.JSONField(
        _("soorten verzoeken"),
        default=list,
        blank=True,
        help_text=_("Voor welke soorten verzoeken de balie hier een taak aanmaakt."),
    )

    history = HistoricalRecords()
    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("verwerking")
        verbose_name_plural = _("verwerkingen")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(legal_basis=LegalBasis.LEGITIMATE_INTEREST)
                | ~Q(legitimate_interest=""),
                name="register_legitimate_interest_described",
            ),
            models.CheckConstraint(
                condition=Q(
                    retention_event=RetentionEvent.UNTIL_OPT_OUT, retention_months__isnull=True
                )
                | (
                    Q(retention_months__isnull=False)
                    & ~Q(retention_event__in=["", RetentionEvent.UNTIL_OPT_OUT])
                )
                | Q(status=Status.DRAFT, retention_months__isnull=True, retention_event=""),
                name="register_retention_is_a_rule",
            ),
            models.CheckConstraint(
                condition=Q(dpia_done_on__isnull=True) | Q(dpia_needed=True),
                name="register_dpia_done_only_when_needed",
            ),
        ]
        # The admin list's order (the first page is an index range, not a sort of the table).
        indexes = [models.Index(fields=["name", "-id"], name="activity_list")]

    def __str__(self):
        return self.name

    def clean(self):
        if self.legal_basis == LegalBasis.LEGITIMATE_INTEREST and not self.legitimate_interest:
            raise ValidationError(
                {"legitimate_interest": _("Beschrijf het gerechtvaardigd belang.")}
            )

    @property
    def retention_text(self) -> str:
        """The retention rule in words: "24 maanden na de laatste aankoop …"."""
        if self.retention_event == RetentionEvent.UNTIL_OPT_OUT:
            return str(RetentionEvent.UNTIL_OPT_OUT.label).capitalize()
        if self.retention_months is None:
            return ""
        return (
            f"{self.retention_months} {_('maanden')} {RetentionEvent(self.retention_event).label}"
        )

    @property
    def review_overdue(self) -> bool:
        return self.next_review_on is not None and self.next_review_on < timezone.localdate()


class Safeguard(models.TextChoices):
    ADEQUACY = "adequacy", _("Adequaatheidsbesluit (art. 45)")
    SCC = "scc", _("Modelcontractbepalingen (art. 46 lid 2 sub c)")
    BCR = "bcr", _("Bindende bedrijfsvoorschriften (art. 47)")
    DEROGATION = "derogation", _("Uitzondering (art. 49)")


class ThirdCountryTransfer(models.Model):
    """A transfer outside the EEA: Art. 30(1)(e)."""

    activity = models.ForeignKey(
        ProcessingActivity, on_delete=models.CASCADE, related_name="transfers"
    )
    country = models.CharField(_("land"), max_length=100)
    recipient = models.CharField(_("ontvanger"), max_length=200)
    safeguard = models.CharField(_("waarborg"), max_length=16, choices=Safeguard.choices)
    note = models.TextField(
        _("toelichting"), blank=True, help_text=_("Intern: komt niet in de privacyverklaring.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("doorgifte buiten de EER")
        verbose_name_plural = _("doorgiften buiten de EER")

    def __str__(self):
        return f"{self.recipient} ({self.country})"


class PublishedStatement(models.Model):
    """A published version of the public privacy statement, kept exactly as published."""

    version = models.PositiveIntegerField(_("versie"), unique=True)
    published_at = models.DateTimeField(_("gepubliceerd op"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gepubliceerd door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    content = models.TextField(_("inhoud (HTML)"))

    class Meta:
        verbose_name = _("gepubliceerde privacyverklaring")
        verbose_name_plural = _("gepubliceerde privacyverklaringen")
        ordering = ["-version"]
        get_latest_by = "version"

    def __str__(self):
        return _("Versie %(version)s") % {"version": self.version}

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("Een gepubliceerde verklaring wordt nooit gewijzigd."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Een gepubliceerde verklaring wordt nooit verwijderd."))
