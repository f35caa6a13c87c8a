"""The request desk's data: a data subject's request, its timeline, its task checklist, the letter
templates and the outbox that letters leave through.

The rules that change these rows live in `services/` (and the allowed status changes in
`workflow.py`); the models answer questions about themselves: which deadline applies, how many
days are left, whether the request is still open.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db import models
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

import config.storage
from config.storage import uploads as uploads_storage


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Inzage")
    RECTIFICATION = "rectification", _("Correctie")
    ERASURE = "erasure", _("Verwijdering")
    RESTRICTION = "restriction", _("Beperking")
    PORTABILITY = "portability", _("Overdraagbaarheid")
    OBJECTION_DIRECT_MARKETING = "objection_direct_marketing", _("Bezwaar tegen direct marketing")
    WITHDRAW_CONSENT = "withdraw_consent", _("Intrekken toestemming")
    # Art. 21(1): an objection to processing based on a legitimate interest (Art. 6(1)(f)); the
    # privacy officer decides it, with the balancing recorded. Not an opt-out: it can be refused.
    OBJECTION = "objection", _("Bezwaar tegen verwerking (gerechtvaardigd belang)")


# The kinds that are an opt-out: the company promises them within twenty working days (its privacy
# statement), and the close-out carries them out without human judgement.
OPT_OUT_KINDS = (RequestKind.OBJECTION_DIRECT_MARKETING, RequestKind.WITHDRAW_CONSENT)


class ObjectionDecision(models.TextChoices):
    """The privacy officer's decision on a general objection (Art. 21(1) GDPR)."""

    UPHELD = "upheld", _("Bezwaar toegewezen: de verwerking stopt")
    COMPELLING_GROUNDS = "compelling_grounds", _(
        "Afgewezen: dwingende gerechtvaardigde gronden wegen zwaarder"
    )
    LEGAL_CLAIMS = "legal_claims", _("Afgewezen: nodig voor een rechtsvordering")


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    POST = "post", _("Post")
    PHONE = "phone", _("Telefoon")
    WEB_FORM = "web_form", _("Webformulier")
    API = "api", _("Gekoppeld systeem (API)")


class Status(models.TextChoices):
    NEW = "new", _("Nieuw")
    IDENTITY_PENDING = "identity_pending", _("Identiteit gevraagd")
    IN_PROGRESS = "in_progress", _("In behandeling")
    AWAITING_REQUESTER = "awaiting_requester", _("Wacht op verzoeker")
    COMPLETED = "completed", _("Afgerond")
    REJECTED = "rejected", _("Afgewezen")
    WITHDRAWN = "withdrawn", _("Ingetrokken")


OPEN_STATUSES = (Status.NEW, Status.IDENTITY_PENDING, Status.IN_PROGRESS, Status.AWAITING_REQUESTER)
CLOSED_STATUSES = (Status.COMPLETED, Status.REJECTED, Status.WITHDRAWN)


class IdentityStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("Niet gecontroleerd")
    VERIFIED = "verified", _("Gecontroleerd")


class IdentityMethod(models.TextChoices):
    # Ask for as little as possible (AP guidance): a reply from the known address usually suffices.
    EMAIL = "email", _("Bevestiging vanaf het bekende e-mailadres")
    KNOWN_DETAILS = "known_details", _("Vragen over bekende klantgegevens")
    CALLBACK = "callback", _("Teruggebeld op het bekende telefoonnummer")
    DOCUMENT_SIGHTED = "document_sighted", _("Identiteitsbewijs ingezien, niet bewaard")


class ReferenceCounter(models.Model):
    """The last reference number handed out in a year, locked while a request is opened so that
    references are gap-free per year."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"


class RequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class DataSubjectRequest(models.Model):
    reference = models.CharField(_("kenmerk"), max_length=16, unique=True, editable=False)
    kind = models.CharField(_("soort"), max_length=32, choices=RequestKind.choices)
    channel = models.CharField(_("kanaal"), max_length=16, choices=Channel.choices)
    requester_name = models.CharField(_("naam verzoeker"), max_length=200)
    requester_email = models.EmailField(_("e-mailadres verzoeker"), blank=True)
    requester_phone = models.CharField(_("telefoon verzoeker"), max_length=40, blank=True)
    # The number in E.164 (consents.phones), written with it by the services: what search finds.
    requester_phone_e164 = models.CharField(
        _("telefoon verzoeker (E.164)"), max_length=20, blank=True, editable=False
    )
    requester_address = models.TextField(_("adres verzoeker"), blank=True)
    description = models.TextField(_("omschrijving"), blank=True)
    subject = models.ForeignKey(
        "consents.DataSubject",
        verbose_name=_("betrokkene"),
        on_delete=models.PROTECT,
        related_name="requests",
        null=True,
        blank=True,
    )
    received_at = models.DateTimeField(_("ontvangen op"))
    due_on = models.DateField(_("wettelijke termijn"))
    target_on = models.DateField(_("streefdatum"))
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.NEW
    )
    identity_status = models.CharField(
        _("identiteit"),
        max_length=16,
        choices=IdentityStatus.choices,
        default=IdentityStatus.UNVERIFIED,
    )
    identity_method = models.CharField(
        _("controlemethode"), max_length=24, choices=IdentityMethod.choices, blank=True
    )
    identity_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gecontroleerd door"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    identity_verified_at = models.DateTimeField(_("gecontroleerd op"), null=True, blank=True)
    extended_due_on = models.DateField(_("verlengde termijn"), null=True, blank=True)
    extension_reason = models.TextField(_("reden verlenging"), blank=True)
    extension_told_on = models.DateField(_("verlenging gemeld op"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("behandelaar"),
        on_delete=models.PROTECT,
        related_name="assigned_requests",
        null=True,
        blank=True,
    )
    outcome = models.TextField(_("uitkomst"), blank=True)
    objection_decision = models.CharField(
        _("besluit op bezwaar"), max_length=24, choices=ObjectionDecision.choices, blank=True
    )
    objection_balancing = models.TextField(_("belangenafweging"), blank=True)
    # Set when something came in that the agent must look at (a reply from the requester, a letter
    # that bounced); cleared when the agent has seen it (`request_attention_clear`).
    attention_since = models.DateTimeField(_("vraagt aandacht sinds"), null=True, blank=True)
    attention_reason = models.CharField(_("reden aandacht"), max_length=200, blank=True)
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    minimised_at = models.DateTimeField(_("geminimaliseerd op"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    history = HistoricalRecords()
    objects = RequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("verzoek")
        verbose_name_plural = _("verzoeken")
        ordering = ["target_on", "reference"]
        permissions = [
            ("extend_datasubjectrequest", _("Kan de termijn van een verzoek verlengen")),
            ("reject_datasubjectrequest", _("Kan een verzoek afwijzen")),
            ("override_open_tasks", _("Kan een verzoek afronden met open taken")),
            ("decide_objection", _("Kan beslissen op een bezwaar (art. 21 lid 1 AVG)")),
        ]
        indexes = [
            models.Index(fields=["target_on", "reference"], name="desk_request_list"),
            models.Index(fields=["status", "target_on"], name="desk_request_queue"),
            models.Index(fields=["assignee", "status"], name="desk_request_assignee"),
            models.Index(fields=["status", "due_on"], name="desk_request_due"),
            models.Index(fields=["requester_email"], name="desk_request_email"),
            models.Index(fields=["requester_phone_e164"], name="desk_request_phone"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(extended_due_on__isnull=True) | ~Q(extension_reason=""),
                name="desk_extension_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(identity_status=IdentityStatus.UNVERIFIED) | ~Q(identity_method=""),
                name="desk_verified_identity_has_method",
            ),
            models.CheckConstraint(
                condition=Q(status__in=OPEN_STATUSES) | Q(closed_at__isnull=False),
                name="desk_closed_request_has_closed_at",
            ),
            models.CheckConstraint(
                condition=Q(objection_decision="") | ~Q(objection_balancing=""),
                name="desk_objection_decision_has_balancing",
            ),
        ]

    def __str__(self):
        return f"{self.reference} · {self.get_kind_display()}"

    @property
    def received_on(self) -> dt.date:
        return timezone.localdate(self.received_at)

    @property
    def statutory_due_on(self) -> dt.date:
        """The law's deadline: one month, or three after an extension (Art. 12(3))."""
        return self.extended_due_on or self.due_on

    @property
    def next_deadline_on(self) -> dt.date:
        """The stricter of the two dates: the one that drives the queue and the reminders."""
        return min(self.target_on, self.statutory_due_on)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def identity_verified(self) -> bool:
        return self.identity_status == IdentityStatus.VERIFIED

    def days_left(self, today: dt.date | None = None) -> int:
        return (self.next_deadline_on - (today or timezone.localdate())).days

    @property
    def days_late(self) -> int:
        return max(0, -self.days_left())

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.is_open and self.days_left(today) < 0


class EventKind(models.TextChoices):
    OPENED = "opened", _("Verzoek ontvangen")
    STATUS = "status", _("Status gewijzigd")
    IDENTITY = "identity", _("Identiteit gecontroleerd")
    ASSIGNED = "assigned", _("Toegewezen")
    NOTE = "note", _("Notitie")
    LETTER = "letter", _("Brief verstuurd")
    TASK_DONE = "task_done", _("Taak afgevinkt")
    TASK_REOPENED = "task_reopened", _("Taak heropend")
    EXTENDED = "extended", _("Termijn verlengd")
    OVERRIDE = "override", _("Afgerond met open taken")
    REMINDER = "reminder", _("Herinnering verstuurd")
    POSTED = "posted", _("Per post verstuurd")
    PACKAGE = "package", _("Inzagepakket gemaakt")
    RECTIFIED = "rectified", _("Gegevens gecorrigeerd")
    ERASED = "erased", _("Gegevens gewist")
    RESTRICTED = "restricted", _("Verwerking beperkt")
    UNRESTRICTED = "unrestricted", _("Beperking opgeheven")
    RESENT = "resent", _("Brief opnieuw verstuurd na onderbreking")
    TASK_RESULT = "task_result", _("Resultaat van een systeem vastgelegd")
    ANSWER_OVERRIDE = "answer_override", _("Antwoord zonder alle systemen")
    OBJECTION_DECIDED = "objection", _("Besluit op bezwaar")
    REPLY = "reply", _("Antwoord van de verzoeker")
    BOUNCED = "bounced", _("Brief niet bezorgd")
    ATTENTION_SEEN = "attention_seen", _("Gezien")


class RequestEvent(models.Model):
    """One line of a request's timeline. Written by the services, never edited."""

    request = models.ForeignKey(DataSubjectRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("soort"), max_length=16, choices=EventKind.choices)
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
    data = models.JSONField(_("gegevens"), default=dict, blank=True)

    class Meta:
        verbose_name = _("gebeurtenis")
        verbose_name_plural = _("tijdlijn")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["at", "id"], name="desk_event_list"),
            models.Index(fields=["request", "at"], name="desk_event_timeline"),
        ]

    def __str__(self):
        return f"{self.request.reference} · {self.get_kind_display()}"


class TaskResult(models.TextChoices):
    """What a system outside this application gave for one task (the agent records it, or a
    connector does): its export, nothing, or the number of records it erased."""

    EXPORTED = "exported", _("Export van het systeem toegevoegd")
    NOTHING_FOUND = "nothing_found", _("Niets gevonden")
    ERASED = "erased", _("Verwijderd")


class RequestTask(models.Model):
    """One item of a request's checklist: a processing activity (and system) of the register in
    which the person's data must be looked up, corrected, exported or erased."""

    request = models.ForeignKey(DataSubjectRequest, on_delete=models.CASCADE, related_name="tasks")
    activity = models.ForeignKey(
        "privacy_register.ProcessingActivity",
        verbose_name=_("verwerking"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    system = models.ForeignKey(
        "privacy_register.System",
        verbose_name=_("systeem"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    title = models.CharField(_("taak"), max_length=300)
    done_at = models.DateTimeField(_("afgevinkt op"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("afgevinkt door"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # The result of the task in a system outside this application (services.task_record_result).
    result_kind = models.CharField(
        _("resultaat"), max_length=16, choices=TaskResult.choices, blank=True
    )
    records_count = models.PositiveIntegerField(_("aantal records"), null=True, blank=True)
    result_note = models.TextField(_("toelichting"), blank=True)
    # Exports other systems produced for a request: the named storage "uploads", never served
    # under a public URL.
    result_file = models.FileField(
        _("export"), storage=uploads_storage, upload_to="taakresultaten/", blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("taak")
        verbose_name_plural = _("taken")
        ordering = ["pk"]
        # An export's file has no constraint: erasure and retention remove it, the record stays.
        constraints = [
            models.CheckConstraint(
                condition=~Q(result_kind=TaskResult.ERASED) | Q(records_count__isnull=False),
                name="desk_erased_task_has_count",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class LetterKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", _("Ontvangstbevestiging")
    IDENTITY_CHECK = "identity_check", _("Identiteitscontrole")
    EXTENSION = "extension", _("Verlenging")
    COMPLETION = "completion", _("Afronding")
    REJECTION = "rejection", _("Afwijzing")
    ACCESS_PACKAGE = "access_package", _("Inzagepakket klaar")
    ERASURE = "erasure", _("Bevestiging verwijdering")
    RESTRICTION_LIFTED = "restriction_lifted", _("Opheffing beperking")
    FREE_TEXT = "free_text", _("Vrije brief")
    IDENTITY_TIMEOUT = "identity_timeout", _("Gesloten: identiteit niet bevestigd")


# The letters that report a decision. Only the service that takes the decision sends one, in the
# same transaction (`services.letters.letter_queue`); the desk's letter page never offers them.
DECISION_LETTERS = (
    LetterKind.EXTENSION,
    LetterKind.COMPLETION,
    LetterKind.REJECTION,
    LetterKind.ACCESS_PACKAGE,
    LetterKind.ERASURE,
    LetterKind.RESTRICTION_LIFTED,
    LetterKind.IDENTITY_TIMEOUT,
)
# The letters an agent may send by hand from the letter page: they carry no decision. A free-text
# letter only by someone the privacy officer has allowed to (`SEND_FREE_TEXT`).
HAND_LETTERS = (LetterKind.ACKNOWLEDGEMENT, LetterKind.IDENTITY_CHECK, LetterKind.FREE_TEXT)
# Every letter that reports a decision may refuse or limit (a rejection, a request closed for want
# of identity, an erasure with data kept, a partial answer): each names both remedies of
# Art. 12(4) GDPR, and a template that drops one is refused (`LetterTemplate.clean`).
REMEDY_LETTERS = DECISION_LETTERS
REMEDY_WORDS = ("Autoriteit Persoonsgegevens", "rechter")


class LetterTemplate(models.Model):
    """A Dutch letter to data subjects, as Django template text, editable by the privacy officer.
    The defaults come with a data migration."""

    kind = models.CharField(_("soort"), max_length=24, choices=LetterKind.choices, unique=True)
    subject = models.CharField(_("onderwerp"), max_length=200)
    body = models.TextField(
        _("tekst"),
        help_text=_(
            "Beschikbaar: {{ naam }}, {{ kenmerk }}, {{ soort }}, {{ ontvangen_op }}, "
            "{{ termijn }}, {{ streefdatum }}, {{ verlengde_termijn }}, {{ reden_verlenging }}, "
            "{{ redenen }}, {{ uitkomst }}, {{ link }}, {{ verloopt_op }}, {{ bewaard }}, "
            "{{ systemen }}, {{ opheffen_op }}, {{ tekst }}, {{ per_systeem }}. Een brief met een "
            "beslissing noemt de klacht bij de Autoriteit Persoonsgegevens en de gang naar de "
            "rechter (art. 12 lid 4 AVG)."
        ),
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("briefsjabloon")
        verbose_name_plural = _("briefsjablonen")
        ordering = ["kind"]
        permissions = [
            ("send_free_text_letter", _("Kan een vrije brief aan een verzoeker versturen")),
        ]

    def __str__(self):
        return self.get_kind_display()

    def clean(self):
        from requests_desk.letter_text import check_template_text

        errors = {}
        for field in ("subject", "body"):
            try:
                check_template_text(getattr(self, field))
            except ValidationError as error:
                errors[field] = error
        words = " ".join(self.body.split())  # a line may break between two words
        missing = [word for word in REMEDY_WORDS if word not in words]
        if self.kind in REMEDY_LETTERS and missing and "body" not in errors:
            errors["body"] = ValidationError(
                _(
                    "Deze brief meldt een beslissing en moet de klacht bij de Autoriteit "
                    "Persoonsgegevens en de gang naar de rechter noemen (art. 12 lid 4 AVG). "
                    "Ontbreekt: %(missing)s."
                )
                % {"missing": ", ".join(missing)},
                code="remedies",
            )
        if errors:
            raise ValidationError(errors)


# What an outbox message is: any letter to a requester (every `LetterKind`, whatever is added
# there), or mail to the office itself.
OutboxKind = models.TextChoices(
    "OutboxKind",
    [(kind.name, (kind.value, kind.label)) for kind in LetterKind]
    + [
        ("REMINDER", ("reminder", _("Herinnering aan het team"))),
        (
            "REGISTER_DIGEST",
            ("register_digest", _("Overzicht reviews en verwerkersovereenkomsten")),
        ),
        ("BREACH_ALERT", ("breach_alert", _("Datalek: bericht aan de privacy officer"))),
        ("BREACH_NOTICE", ("breach_notice", _("Datalek: bericht aan betrokkenen"))),
    ],
)


class OutboxStatus(models.TextChoices):
    QUEUED = "queued", _("In de wachtrij")
    SENDING = "sending", _("Wordt verzonden")
    SENT = "sent", _("Verzonden")
    FAILED = "failed", _("Mislukt")
    # Never sent: the person was erased (or the request minimised) while it still waited.
    WITHHELD = "withheld", _("Niet verzonden (gewist)")


class OutboxMessage(models.Model):
    """A letter waiting to be mailed. Written in the same transaction as the change that causes
    it, so no letter is lost when the broker is down; a Celery task sends it."""

    request = models.ForeignKey(
        DataSubjectRequest,
        on_delete=models.CASCADE,
        related_name="outbox",
        null=True,
        blank=True,
    )
    letter_kind = models.CharField(_("brief"), max_length=24, choices=OutboxKind.choices)
    # Mail that must go out once only (a digest of a day, say) carries a key; a second job run
    # that tries to queue it again is refused by the unique constraint.
    dedupe_key = models.CharField(
        max_length=120, unique=True, null=True, blank=True, editable=False
    )
    to = models.EmailField(_("aan"))
    subject = models.CharField(_("onderwerp"), max_length=300)
    body = models.TextField(_("tekst"))
    status = models.CharField(
        _("status"), max_length=8, choices=OutboxStatus.choices, default=OutboxStatus.QUEUED
    )
    queued_at = models.DateTimeField(_("klaargezet op"), default=timezone.now)
    sent_at = models.DateTimeField(_("verzonden op"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    # The mail's Message-ID, fixed before it is first sent: a message resent after an interrupted
    # sending carries the same id, so the receiving side sees one message (RFC 5322 §3.6.4). A
    # bounce (DSN) names it, and a reply answers it (In-Reply-To): indexed, to find the letter.
    message_id = models.CharField(
        _("Message-ID"), max_length=200, blank=True, editable=False, db_index=True
    )
    # When the current sending began (committed before the mail server is called), so the sweep
    # knows a sending that a dead worker never finished.
    sending_at = models.DateTimeField(_("verzending begonnen op"), null=True, blank=True)
    # A letter that must not outlive its sending (a download link; the erasure confirmation to
    # an address that is being erased): address and body are removed once it is sent.
    scrub_after_send = models.BooleanField(_("wissen na verzending"), default=False)
    last_error = models.TextField(_("laatste fout"), blank=True)

    class Meta:
        verbose_name = _("uitgaand bericht")
        verbose_name_plural = _("postvak uit")
        ordering = ["-queued_at"]
        indexes = [
            models.Index(fields=["queued_at", "id"], name="outbox_list"),
            models.Index(fields=["status", "queued_at"], name="desk_outbox_queue"),
        ]

    def __str__(self):
        return f"{self.get_letter_kind_display()} → {self.to}"


class ReminderKind(models.TextChoices):
    TARGET = "target", _("Streefdatum nadert")
    STATUTORY = "statutory", _("Wettelijke termijn nadert")
    ESCALATION = "escalation", _("Termijn in gevaar of verstreken")


class Reminder(models.Model):
    """A reminder sent about one deadline of one request. Unique per request, kind and deadline:
    a job that runs twice, or two workers at once, cannot send it twice."""

    request = models.ForeignKey(
        DataSubjectRequest, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("soort"), max_length=12, choices=ReminderKind.choices)
    deadline_on = models.DateField(_("termijn"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    sent_at = models.DateTimeField(_("verstuurd op"), default=timezone.now)

    class Meta:
        verbose_name = _("herinnering")
        verbose_name_plural = _("herinneringen")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "kind", "deadline_on"], name="desk_reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.request.reference} · {self.get_kind_display()} · {self.deadline_on}"


class _LettersStorage(LazyObject):
    """`STORAGES["letters"]`, looked up when first used and again after the setting changes (as
    Django's own default storage does), so a test can point it at its own folder."""

    def _setup(self):
        self._wrapped = storages["letters"]


LETTERS_STORAGE = _LettersStorage()


@receiver(setting_changed)
def _letters_storage_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        LETTERS_STORAGE._wrapped = empty


def letters_storage():
    """The storage of the printed letters: private, never under a URL."""
    return LETTERS_STORAGE


class PostalLetter(models.Model):
    """A letter that goes by post: the requester has no e-mail address (a post or phone request).
    The service that sends a letter puts it here instead of in the outbox, so an extension or a
    refusal is never silent; the agent prints it (the PDF, kept in the "letters" storage), posts
    it and marks it so, and the timeline says "verstuurd per post op …".

    The name and address are taken when the letter is queued: the erasure confirmation is queued
    after the request's own details are gone. Its history keeps only when and by whom it was
    posted, never the text or the address."""

    request = models.ForeignKey(
        DataSubjectRequest, on_delete=models.CASCADE, related_name="postal_letters"
    )
    letter_kind = models.CharField(_("brief"), max_length=24, choices=LetterKind.choices)
    name = models.CharField(_("naam"), max_length=200)
    address = models.TextField(_("adres"), blank=True)
    subject = models.CharField(_("onderwerp"), max_length=300)
    body = models.TextField(_("tekst"))
    queued_at = models.DateTimeField(_("klaargezet op"), default=timezone.now)
    pdf = models.FileField(_("PDF"), storage=letters_storage, upload_to="brieven/%Y/", blank=True)
    posted_at = models.DateTimeField(_("per post verstuurd op"), null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verstuurd door"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # The erasure confirmation: its text, address and PDF are removed once it is posted.
    scrub_after_send = models.BooleanField(_("wissen na verzending"), default=False)
    # Never posted: the person was erased (or the request minimised) while it still waited.
    withheld = models.BooleanField(_("niet verstuurd (gewist)"), default=False)

    history = HistoricalRecords(excluded_fields=["name", "address", "subject", "body"])

    class Meta:
        verbose_name = _("brief per post")
        verbose_name_plural = _("brieven per post")
        ordering = ["queued_at", "pk"]
        indexes = [models.Index(fields=["posted_at", "queued_at"], name="desk_postal_queue")]

    def __str__(self):
        return f"{self.request.reference} · {self.get_letter_kind_display()}"

    @property
    def is_posted(self) -> bool:
        return self.posted_at is not None


class InboundKind(models.TextChoices):
    REQUEST = "request", _("Nieuw bericht")
    REPLY = "reply", _("Antwoord op een brief")
    BOUNCE = "bounce", _("Onbestelbaar bericht")


class InboundStatus(models.TextChoices):
    OPEN = "open", _("Te behandelen")
    LINKED = "linked", _("Bij een verzoek")
    DISMISSED = "dismissed", _("Geen verzoek")


class InboundMessage(models.Model):
    """One mail taken in from the privacy mailbox (IMAP). Taken in once: the Message-ID is unique,
    so a second poll, or two workers at once, cannot add it twice. A reply to one of our letters
    joins its request; a bounce marks its letter failed; anything else waits in the desk's inbox
    until an agent opens a request from it or sets it aside."""

    message_id = models.CharField(_("Message-ID"), max_length=250, unique=True)
    kind = models.CharField(_("soort"), max_length=8, choices=InboundKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=InboundStatus.choices, default=InboundStatus.OPEN
    )
    from_address = models.EmailField(_("afzender"), blank=True)
    from_name = models.CharField(_("naam afzender"), max_length=200, blank=True)
    subject_line = models.CharField(_("onderwerp"), max_length=300, blank=True)
    body = models.TextField(_("tekst"), blank=True)
    sent_at = models.DateTimeField(_("verzonden op"), null=True, blank=True)
    received_at = models.DateTimeField(_("ontvangen op"), default=timezone.now)
    data_subject = models.ForeignKey(
        "consents.DataSubject",
        verbose_name=_("betrokkene"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    request = models.ForeignKey(
        DataSubjectRequest,
        verbose_name=_("verzoek"),
        on_delete=models.CASCADE,
        related_name="inbound",
        null=True,
        blank=True,
    )
    bounced = models.ForeignKey(
        OutboxMessage,
        verbose_name=_("onbestelbare brief"),
        on_delete=models.SET_NULL,
        related_name="bounces",
        null=True,
        blank=True,
    )
    # Attachments that were not kept, with the reason: [{"name": …, "reason": …}].
    refused_attachments = models.JSONField(_("geweigerde bijlagen"), default=list, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("behandeld door"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("binnengekomen bericht")
        verbose_name_plural = _("postvak in")
        ordering = ["received_at", "pk"]
        indexes = [
            models.Index(fields=["status", "received_at"], name="desk_inbound_open"),
            models.Index(fields=["received_at", "id"], name="desk_inbound_received"),
        ]

    def __str__(self):
        return f"{self.from_address} · {self.subject_line}"


class InboundAttachment(models.Model):
    """A file that came with a mail, kept (size- and type-limited) in the "uploads" storage, and
    with the request once the mail belongs to one."""

    message = models.ForeignKey(
        InboundMessage, on_delete=models.CASCADE, related_name="attachments"
    )
    request = models.ForeignKey(
        DataSubjectRequest,
        on_delete=models.CASCADE,
        related_name="attachments",
        null=True,
        blank=True,
    )
    filename = models.CharField(_("bestandsnaam"), max_length=200)
    content_type = models.CharField(_("soort bestand"), max_length=100)
    size = models.PositiveIntegerField(_("grootte"))
    # The file's name in the "uploads" named storage (config.storage: a folder under MEDIA_ROOT, or
    # the object store).
    stored_name = models.CharField(_("opgeslagen als"), max_length=300, editable=False)

    class Meta:
        verbose_name = _("bijlage")
        verbose_name_plural = _("bijlagen")
        ordering = ["pk"]

    def __str__(self):
        return self.filename

    @staticmethod
    def storage():
        return config.storage.uploads()

    def open(self):
        return self.storage().open(self.stored_name, "rb")
