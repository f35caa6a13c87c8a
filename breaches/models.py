"""The register of personal-data breaches (Art. 33(5) GDPR): every incident, its assessment and
decision, the notifications to the Autoriteit Persoonsgegevens (in phases, or withdrawn) and the
notice to the people affected (Art. 34). Every model keeps its history; the timeline of a breach
is its `BreachEvent`s, written by the services."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from breaches import deadlines


class HowFound(models.TextChoices):
    STAFF = "staff", _("Door een medewerker opgemerkt")
    CUSTOMER = "customer", _("Gemeld door een klant of betrokkene")
    PROCESSOR = "processor", _("Gemeld door een verwerker (art. 33(2))")
    MONITORING = "monitoring", _("Beveiligingsmonitoring of logbestanden")
    THIRD_PARTY = "third_party", _("Gemeld door een derde (onderzoeker, pers, politie)")
    OTHER = "other", _("Anders")


class Cause(models.TextChoices):
    """The kinds of cause the AP's form and the yearly overview count by."""

    WRONG_RECIPIENT = "wrong_recipient", _("Persoonsgegevens verstuurd naar de verkeerde ontvanger")
    LOST_DEVICE = "lost_device", _("Verloren of gestolen gegevensdrager (laptop, telefoon, USB)")
    PAPER = "paper", _("Verloren of gestolen papieren documenten")
    HACK = "hack", _("Hacking, malware of ransomware")
    PHISHING = "phishing", _("Phishing")
    UNAUTHORISED = "unauthorised", _("Onbevoegde toegang of inzage door een medewerker")
    PUBLISHED = "published", _("Per ongeluk gepubliceerd")
    DISPOSAL = "disposal", _("Gegevens niet veilig vernietigd")
    OTHER = "other", _("Anders")


class BreachStatus(models.TextChoices):
    REPORTED = "reported", _("Gemeld, te beoordelen")
    ASSESSED = "assessed", _("Beoordeeld")
    CLOSED = "closed", _("Afgesloten")


class Decision(models.TextChoices):
    """The officer's decision (Art. 33(1), 34(1))."""

    NO_RISK = "no_risk", _("Geen risico: alleen vastleggen")
    RISK = "risk", _("Risico: melden bij de Autoriteit Persoonsgegevens")
    HIGH_RISK = "high_risk", _("Hoog risico: melden bij de AP én de betrokkenen informeren")


class Nature(models.TextChoices):
    """What kind of breach: the AP's form asks for each that applies."""

    CONFIDENTIALITY = "confidentiality", _("Vertrouwelijkheid: gegevens ingezien of gekopieerd")
    INTEGRITY = "integrity", _("Integriteit: gegevens gewijzigd")
    AVAILABILITY = "availability", _("Beschikbaarheid: gegevens verloren of vernietigd")


class Encryption(models.TextChoices):
    NONE = "none", _("Nee")
    PARTLY = "partly", _("Gedeeltelijk")
    FULL = "full", _("Ja, onleesbaar voor onbevoegden (versleuteld)")


class Breach(models.Model):
    """One personal-data breach, as reported by a member of staff."""

    reference = models.CharField(_("kenmerk"), max_length=16, unique=True, editable=False)
    title = models.CharField(_("korte omschrijving"), max_length=200)
    what_happened = models.TextField(_("wat is er gebeurd"))
    occurred_at = models.DateTimeField(_("gebeurd op"), null=True, blank=True)
    aware_at = models.DateTimeField(_("bekend geworden op"))
    how_found = models.CharField(_("hoe ontdekt"), max_length=16, choices=HowFound.choices)
    cause = models.CharField(_("oorzaak"), max_length=20, choices=Cause.choices)
    processor = models.ForeignKey(
        "privacy_register.Processor",
        verbose_name=_("gemeld door verwerker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="breaches",
    )
    processor_reported_at = models.DateTimeField(
        _("gemeld door de verwerker op"), null=True, blank=True
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gemeld door"),
        on_delete=models.PROTECT,
        related_name="reported_breaches",
    )
    reported_at = models.DateTimeField(_("gemeld op"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=12, choices=BreachStatus.choices, default=BreachStatus.REPORTED
    )
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    closing_note = models.TextField(_("afsluitende notitie"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("datalek")
        verbose_name_plural = _("datalekken")
        ordering = ["-aware_at", "-pk"]
        # Reporting is everyone's duty (Art. 33(1) starts when the organisation knows): the
        # auditor, who changes nothing else, may report too. `add_breach` stays the admin's.
        permissions = [("report_breach", _("Kan een datalek melden"))]
        indexes = [
            models.Index(fields=["aware_at", "id"], name="breach_list"),
            models.Index(fields=["status", "aware_at"], name="breach_open"),
            models.Index(fields=["reported_by", "aware_at"], name="breach_reporter"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(how_found=HowFound.PROCESSOR)
                | models.Q(processor__isnull=False),
                name="breach_processor_named",
                violation_error_message=_("Noem de verwerker die het lek meldde."),
            )
        ]

    def __str__(self):
        return f"{self.reference} · {self.title}"

    # The clock (Art. 33(1) GDPR, counted under 1182/71), derived from the moment of awareness.
    @property
    def period_starts_at(self):
        return deadlines.period_start(self.aware_at)

    @property
    def notify_by(self):
        """When the 72 hours of Art. 33(1) expire."""
        return deadlines.notify_deadline(self.aware_at)

    @property
    def is_open(self) -> bool:
        return self.status != BreachStatus.CLOSED


class ReferenceCounter(models.Model):
    """The last breach number of a year: DL-2026-0007."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("teller datalekken")

    def __str__(self):
        return f"{self.year}: {self.last}"


class Assessment(models.Model):
    """The officer's assessment and decision. Edited while facts come in; its history keeps every
    version, the register of systems, activities and data categories included."""

    breach = models.OneToOneField(Breach, on_delete=models.CASCADE, related_name="assessment")
    natures = models.JSONField(_("soort inbreuk"), default=list, blank=True)
    activities = models.ManyToManyField(
        "privacy_register.ProcessingActivity",
        verbose_name=_("verwerkingsactiviteiten"),
        blank=True,
        related_name="+",
    )
    systems = models.ManyToManyField(
        "privacy_register.System", verbose_name=_("systemen"), blank=True, related_name="+"
    )
    data_categories = models.ManyToManyField(
        "privacy_register.PersonalDataCategory",
        verbose_name=_("categorieën persoonsgegevens"),
        blank=True,
        related_name="+",
    )
    subject_categories = models.ManyToManyField(
        "privacy_register.DataSubjectCategory",
        verbose_name=_("categorieën betrokkenen"),
        blank=True,
        related_name="+",
    )
    people_min = models.PositiveIntegerField(_("aantal betrokkenen, minimaal"), default=0)
    people_max = models.PositiveIntegerField(_("aantal betrokkenen, maximaal"), default=0)
    records = models.PositiveIntegerField(_("aantal gegevensrecords (ongeveer)"), default=0)
    encrypted = models.CharField(
        _("gegevens versleuteld"), max_length=8, choices=Encryption.choices, default=Encryption.NONE
    )
    cross_border = models.BooleanField(_("betrokkenen in andere EU-landen"), default=False)
    consequences = models.TextField(_("waarschijnlijke gevolgen"), blank=True)
    measures_taken = models.TextField(_("genomen maatregelen"), blank=True)
    measures_planned = models.TextField(_("voorgenomen maatregelen"), blank=True)
    decision = models.CharField(_("besluit"), max_length=12, choices=Decision.choices, blank=True)
    reasoning = models.TextField(_("onderbouwing van het besluit"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("besloten door"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)

    history = HistoricalRecords(
        m2m_fields=[activities, systems, data_categories, subject_categories]
    )

    class Meta:
        verbose_name = _("beoordeling")
        verbose_name_plural = _("beoordelingen")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(people_max__gte=models.F("people_min")),
                name="breach_people_range",
                violation_error_message=_("Het maximum aantal betrokkenen ligt onder het minimum."),
            )
        ]

    def __str__(self):
        return f"{self.breach.reference} · {self.get_decision_display() or '—'}"

    @property
    def must_notify_ap(self) -> bool:
        return self.decision in (Decision.RISK, Decision.HIGH_RISK)

    @property
    def must_tell_people(self) -> bool:
        return self.decision == Decision.HIGH_RISK


class FilingKind(models.TextChoices):
    INITIAL = "initial", _("Melding")
    FOLLOW_UP = "follow_up", _("Aanvulling (art. 33(4))")
    WITHDRAWAL = "withdrawal", _("Intrekking")


class ApFiling(models.Model):
    """One filing with the Autoriteit Persoonsgegevens: the notification, a follow-up in a later
    phase (Art. 33(4)), or its withdrawal. `content` keeps exactly what was filed."""

    breach = models.ForeignKey(Breach, on_delete=models.CASCADE, related_name="filings")
    kind = models.CharField(_("soort"), max_length=12, choices=FilingKind.choices)
    filed_at = models.DateTimeField(_("ingediend op"))
    ap_reference = models.CharField(_("meldnummer van de AP"), max_length=60, blank=True)
    late_reasons = models.TextField(_("redenen voor de vertraging"), blank=True)
    text = models.TextField(_("toelichting"), blank=True)
    content = models.JSONField(_("inhoud van de melding"), default=list, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingediend door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("melding bij de AP")
        verbose_name_plural = _("meldingen bij de AP")
        ordering = ["filed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["breach"],
                condition=models.Q(kind="initial"),
                name="breach_one_initial_filing",
            ),
            models.UniqueConstraint(
                fields=["breach"],
                condition=models.Q(kind="withdrawal"),
                name="breach_one_withdrawal",
            ),
        ]
        # The admin list's order (the first page is an index range, not a sort of the table).
        indexes = [models.Index(fields=["filed_at", "id"], name="ap_filing_list")]

    def __str__(self):
        return f"{self.breach.reference} · {self.get_kind_display()} · {self.filed_at:%Y-%m-%d}"


class NoticeGround(models.TextChoices):
    """Why the people need not be told (Art. 34(3))."""

    UNINTELLIGIBLE = (
        "unintelligible",
        _("Art. 34(3)(a): de gegevens zijn onbegrijpelijk voor onbevoegden (bijv. versleuteld)"),
    )
    RISK_REMOVED = (
        "risk_removed",
        _("Art. 34(3)(b): achteraf genomen maatregelen nemen het hoge risico weg"),
    )
    DISPROPORTIONATE = (
        "disproportionate",
        _("Art. 34(3)(c): onevenredige inspanning; in plaats daarvan een openbare mededeling"),
    )


class PeopleNotice(models.Model):
    """The notice to the people affected (Art. 34), or the record of why it is not needed."""

    breach = models.OneToOneField(Breach, on_delete=models.CASCADE, related_name="notice")
    subject = models.CharField(_("onderwerp"), max_length=300, blank=True)
    body = models.TextField(_("tekst"), blank=True)
    not_needed = models.CharField(
        _("niet nodig omdat"), max_length=20, choices=NoticeGround.choices, blank=True
    )
    not_needed_reason = models.TextField(_("toelichting"), blank=True)
    recipients = models.PositiveIntegerField(_("aantal ontvangers"), default=0)
    source = models.CharField(_("ontvangers uit"), max_length=200, blank=True)
    queued_at = models.DateTimeField(_("klaargezet op"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("door"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bericht aan betrokkenen")
        verbose_name_plural = _("berichten aan betrokkenen")

    def __str__(self):
        return f"{self.breach.reference} · {self.recipients}"


class LookupStatus(models.TextChoices):
    WAITING = "waiting", _("Bezig met opzoeken")
    DONE = "done", _("Bericht klaargezet")
    FAILED = "failed", _("Mislukt")


class NoticeLookup(models.Model):
    """The officer's choice to tell everyone whose data is in the breached systems (Art. 34): the
    systems, and the notice's text as written, kept while a worker looks the people up in the
    systems and queues the notice (`breaches.jobs.notice_lookup_run`). A failed lookup keeps the
    system's error; the officer may start a new one. At most one waits per breach."""

    breach = models.ForeignKey(Breach, on_delete=models.CASCADE, related_name="lookups")
    systems = models.ManyToManyField(
        "privacy_register.System", verbose_name=_("systemen"), related_name="+"
    )
    subject = models.CharField(_("onderwerp"), max_length=300)
    body = models.TextField(_("tekst"))
    status = models.CharField(
        _("status"), max_length=8, choices=LookupStatus.choices, default=LookupStatus.WAITING
    )
    error = models.TextField(_("fout"), blank=True)
    recipients = models.PositiveIntegerField(_("aantal ontvangers"), default=0)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("door"), on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("gestart op"), default=timezone.now)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[systems])

    class Meta:
        verbose_name = _("opzoeken van betrokkenen in systemen")
        verbose_name_plural = _("opzoeken van betrokkenen in systemen")
        ordering = ["started_at", "pk"]
        indexes = [models.Index(fields=["started_at", "id"], name="breach_lookup_list")]
        constraints = [
            models.UniqueConstraint(
                fields=["breach"],
                condition=models.Q(status=LookupStatus.WAITING),
                name="breach_one_waiting_lookup",
            )
        ]

    def __str__(self):
        return f"{self.breach.reference} · {self.get_status_display()}"


class ReminderMark(models.IntegerChoices):
    H24 = 24, _("24 uur")
    H48 = 48, _("48 uur")
    H60 = 60, _("60 uur")
    ESCALATION = 66, _("66 uur: escalatie")


class BreachReminder(models.Model):
    """A reminder sent at one mark of a breach's clock. Unique per breach and mark: a job that runs
    twice, or two workers at once, cannot send it twice."""

    breach = models.ForeignKey(Breach, on_delete=models.CASCADE, related_name="reminders")
    hours = models.PositiveSmallIntegerField(_("uur"), choices=ReminderMark.choices)
    sent_at = models.DateTimeField(_("verstuurd op"), default=timezone.now)
    mailed = models.BooleanField(_("gemaild"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("herinnering datalek")
        verbose_name_plural = _("herinneringen datalekken")
        constraints = [
            models.UniqueConstraint(fields=["breach", "hours"], name="breach_reminder_once")
        ]

    def __str__(self):
        return f"{self.breach.reference} · {self.get_hours_display()}"


class BreachEventKind(models.TextChoices):
    REPORTED = "reported", _("Gemeld")
    ASSESSED = "assessed", _("Beoordeling bijgewerkt")
    DECIDED = "decided", _("Besluit genomen")
    FILED = "filed", _("Gemeld bij de AP")
    FOLLOW_UP = "follow_up", _("Aanvulling bij de AP")
    WITHDRAWN = "withdrawn", _("Melding ingetrokken")
    NOTICE = "notice", _("Betrokkenen geïnformeerd")
    NOTICE_NOT_NEEDED = "notice_not_needed", _("Betrokkenen informeren niet nodig")
    NOTICE_LOOKUP = "notice_lookup", _("Betrokkenen opzoeken in de systemen")
    NOTICE_LOOKUP_FAILED = "lookup_failed", _("Opzoeken in de systemen mislukt")
    REMINDER = "reminder", _("Herinnering verstuurd")
    NOTE = "note", _("Notitie")
    CLOSED = "closed", _("Afgesloten")


class BreachEvent(models.Model):
    """One line of a breach's timeline. Written by the services, never edited."""

    breach = models.ForeignKey(Breach, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("soort"), max_length=20, choices=BreachEventKind.choices)
    at = models.DateTimeField(_("tijdstip"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    text = models.TextField(_("tekst"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gebeurtenis datalek")
        verbose_name_plural = _("tijdlijn datalekken")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["at", "id"], name="breach_event_list"),
            models.Index(fields=["breach", "at"], name="breach_event_timeline"),
        ]

    def __str__(self):
        return f"{self.breach.reference} · {self.get_kind_display()}"
