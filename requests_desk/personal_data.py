"""The request desk as a source of personal data (subject_rights.sources): the person's
requests with their timelines, letters and history rows.

Erasure keeps each request's reference, kind, dates and status — proof that it was answered in
time (Art. 5(2), 17(3)(e) GDPR) — and removes the requester's details, the free texts, the
letters' addresses and bodies and the requests' history rows, as the retention job does. A letter
queued to be scrubbed after sending (the erasure confirmation itself) goes out first."""

from django.db import transaction
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consents.phones import normalise_phone
from consents.sources import Kept, Person, Source
from requests_desk import services
from requests_desk.models import (
    LETTERS_STORAGE,
    DataSubjectRequest,
    InboundAttachment,
    InboundMessage,
    OutboxMessage,
    OutboxStatus,
    PostalLetter,
    RequestEvent,
    RequestTask,
)

ERASED = "(gewist)"
ERASED_ADDRESS = "gewist@invalid.example"
# rectification field → request field
FIELDS = {"name": "requester_name", "phone": "requester_phone", "email": "requester_email"}
UNSENT = (OutboxStatus.QUEUED, OutboxStatus.SENDING, OutboxStatus.FAILED)


def scrub_requests(*, ids, marker: str, address: str, **also) -> None:
    """Remove the personal data of these requests: the requester's details, the free texts, the
    timeline's texts, the letters' addresses and bodies and the requests' history rows; the
    reference, kind, dates and status stay. A letter still waiting is withheld, never sent; but
    one queued to be scrubbed after sending (the erasure confirmation) keeps its address until
    it is sent. `also`: more fields to set.
    Shared by erasure (Art. 17) and the retention job (Art. 5(1)(e))."""
    DataSubjectRequest.objects.filter(pk__in=ids).update(
        requester_name=marker,
        requester_email="",
        requester_phone="",
        requester_phone_e164="",
        requester_address="",
        description="",
        outcome="",
        # The extended date stays (proof the answer came in time), so its reason, which may name
        # the person, becomes the marker: blank, it would break `desk_extension_has_reason`.
        extension_reason=Case(
            When(extended_due_on__isnull=False, then=Value(marker)), default=Value("")
        ),
        # The same for a decided objection's balancing (`desk_objection_decision_has_balancing`).
        objection_balancing=Case(
            When(~Q(objection_decision=""), then=Value(marker)), default=Value("")
        ),
        **also,
    )
    RequestEvent.objects.filter(request_id__in=ids).update(text="", data={})
    # The exports other systems gave for these requests go once the change is committed.
    UPLOADS = RequestTask._meta.get_field("result_file").storage  # noqa: N806
    tasks = RequestTask.objects.filter(request_id__in=ids)
    for name in tasks.exclude(result_file="").values_list("result_file", flat=True):
        transaction.on_commit(lambda name=name: UPLOADS.delete(name))
    tasks.update(result_note="", result_file="")
    RequestTask.history.filter(request_id__in=ids).update(result_note="", result_file="")
    letters = OutboxMessage.objects.filter(request_id__in=ids)
    # A letter not yet sent (the acknowledgement of the erasure request itself, when the broker
    # or the mail server was slow; one being sent this moment; one that failed) is never sent any
    # more: emptied, a later attempt would send it blank to the marker's address, after the
    # confirmation that said it was the last mail.
    letters.filter(status__in=UNSENT, scrub_after_send=False).update(status=OutboxStatus.WITHHELD)
    letters.exclude(
        scrub_after_send=True, status__in=(OutboxStatus.QUEUED, OutboxStatus.SENDING)
    ).update(to=address, subject=marker, body="")
    # Letters by post likewise, their printed PDFs included: one not yet posted leaves the
    # agents' post queue, never to be printed blank; an erasure confirmation still to be posted
    # keeps its text and address until the agent has posted it.
    postal = PostalLetter.objects.filter(request_id__in=ids).exclude(
        scrub_after_send=True, posted_at__isnull=True
    )
    postal.filter(posted_at__isnull=True).update(withheld=True)
    files = list(postal.exclude(pdf="").values_list("pdf", flat=True))
    postal.update(name=marker, address="", subject=marker, body="", pdf="")
    transaction.on_commit(lambda: [LETTERS_STORAGE.delete(name) for name in files])
    DataSubjectRequest.history.filter(id__in=ids).delete()
    scrub_mails(InboundMessage.objects.filter(request_id__in=ids), marker=marker)


def scrub_mails(mails, *, marker: str) -> None:
    """Remove what mails that came in say (sender, subject, text), their attachments (the files
    too) and their history rows; that a mail came in, and when, stays."""
    ids = list(mails.values_list("pk", flat=True))
    for kept in InboundAttachment.objects.filter(message_id__in=ids):
        kept.storage().delete(kept.stored_name)
    InboundAttachment.objects.filter(message_id__in=ids).delete()
    InboundMessage.objects.filter(pk__in=ids).update(
        from_address="", from_name="", subject_line=marker, body="", data_subject=None
    )
    InboundMessage.history.filter(id__in=ids).delete()


def requests_of(person: Person):
    """The person's requests: by subject, by e-mail address, and — for a request taken in without
    an e-mail address, which has no subject — by phone number. A request with another address
    is someone else's, even on the same number (a school's switchboard)."""
    match = Q(pk__in=[])
    if person.subject is not None:
        match |= Q(subject_id=person.subject.pk)
    if person.email:
        match |= Q(requester_email__iexact=person.email)
    numbers = {person.phone, normalise_phone(getattr(person.subject, "phone", ""))} - {""}
    if not numbers:
        return DataSubjectRequest.objects.filter(match)
    by_phone = Q(requester_email="", subject__isnull=True, requester_phone_e164__in=numbers)
    return DataSubjectRequest.objects.filter(match | by_phone)


def export(person: Person) -> dict[str, list[dict]]:
    requests = list(requests_of(person).exclude(requester_name=ERASED).order_by("received_at"))
    if not requests:
        return {}
    events = RequestEvent.objects.filter(request__in=requests).select_related("request")
    letters = (
        OutboxMessage.objects.filter(request__in=requests)
        .select_related("request")
        .order_by("queued_at", "pk")
    )
    posted = (
        PostalLetter.objects.filter(request__in=requests)
        .select_related("request")
        .order_by("queued_at", "pk")
    )
    mails = list(
        InboundMessage.objects.filter(request__in=requests)
        .select_related("request")
        .prefetch_related("attachments")
    )
    sections = {
        "verzoeken": [
            {
                "kenmerk": r.reference,
                "soort": r.get_kind_display(),
                "kanaal": r.get_channel_display(),
                "naam": r.requester_name,
                "e-mailadres": r.requester_email,
                "telefoon": r.requester_phone,
                "adres": r.requester_address,
                "omschrijving": r.description,
                "ontvangen_op": r.received_at,
                "status": r.get_status_display(),
                "uitkomst": r.outcome,
                "afgesloten_op": r.closed_at,
            }
            for r in requests
        ],
        "tijdlijn": [
            {
                "kenmerk": e.request.reference,
                "gebeurtenis": e.get_kind_display(),
                "tijdstip": e.at,
                "tekst": e.text,
            }
            for e in events
        ],
        "brieven": [
            {
                "kenmerk": m.request.reference,
                "brief": m.get_letter_kind_display(),
                "aan": m.to,
                "onderwerp": m.subject,
                "tekst": m.body,
                "klaargezet_op": m.queued_at,
                "verzonden_op": m.sent_at,
            }
            for m in letters
        ]
        + [
            {
                "kenmerk": p.request.reference,
                "brief": p.get_letter_kind_display(),
                "aan": f"{p.name}, {p.address}".strip(", "),
                "onderwerp": p.subject,
                "tekst": p.body,
                "klaargezet_op": p.queued_at,
                "verzonden_op": p.posted_at,
            }
            for p in posted
        ],
        "berichten": [
            {
                "kenmerk": m.request.reference if m.request else "",
                "van": m.from_address,
                "onderwerp": m.subject_line,
                "tekst": m.body,
                "ontvangen_op": m.received_at,
                "bijlagen": ", ".join(a.filename for a in m.attachments.all()),
            }
            for m in mails
        ],
    }
    if not mails:  # a section only where there is something to show
        del sections["berichten"]
    return sections


def activities(person: Person) -> set[str]:
    return {"privacyverzoeken"} if requests_of(person).exists() else set()


@transaction.atomic
def rectify(person: Person, *, changes: dict[str, str], by, reason: str) -> list[str]:
    """Correct the requester's details on each of the person's requests, through the desk's own
    service (history and a timeline note on each)."""
    wanted = {FIELDS[k]: v for k, v in changes.items() if k in FIELDS and v.strip()}
    changed = set()
    for request in requests_of(person).exclude(requester_name=ERASED):
        before = {f: getattr(request, f) for f in wanted}
        services.request_correct_contact(request=request, by=by, **wanted)
        changed |= {f for f in wanted if getattr(request, f) != before[f]}
    return sorted(k for k, f in FIELDS.items() if f in changed)


@transaction.atomic
def erase(person: Person, *, by, reason: str) -> list[Kept]:
    if person.email:  # the person's mails, also those that never became a request
        scrub_mails(InboundMessage.objects.filter(from_address__iexact=person.email), marker=ERASED)
    ids = list(requests_of(person).values_list("pk", flat=True))
    if not ids:
        return []
    scrub_requests(ids=ids, marker=ERASED, address=ERASED_ADDRESS)
    return [
        Kept(
            _("Kenmerk, soort, data en status van uw verzoeken (zonder naam of adres)"),
            _(
                "Bewijs dat wij uw verzoeken op tijd hebben afgehandeld, voor het geval van een "
                "klacht of geschil (art. 5 lid 2 en art. 17 lid 3 sub e AVG)."
            ),
        )
    ]


SOURCE = Source(
    key="verzoeken",
    label=gettext_lazy("Privacyverzoeken"),
    export=export,
    activities=activities,
    rectify=rectify,
    erase=erase,
)
