"""The letters to a requester: previewing, the letters an agent sends by hand, the letters the
decision services send, and the letters that go by post.

A letter that reports a decision (`DECISION_LETTERS`: extension, completion, rejection, access
package, erasure, restriction lifted) is sent only by the service that takes the decision, in the
same transaction (`letter_queue`); `letter_send`, behind the desk's letter page, refuses it. A
requester without an e-mail address gets every letter by post: it waits in the "to post" queue
(`PostalLetter`) until the agent has posted it, so no extension or refusal is ever silent.
"""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from requests_desk.default_letters import LETTERS as DEFAULT_LETTERS
from requests_desk.letters import render_letter
from requests_desk.models import (
    DECISION_LETTERS,
    HAND_LETTERS,
    DataSubjectRequest,
    EventKind,
    LetterKind,
    LetterTemplate,
    OutboxMessage,
    PostalLetter,
)
from requests_desk.outbox import outbox_queue
from requests_desk.printing import letter_pdf
from requests_desk.services.common import require_open, require_permission, timeline_add
from requests_desk.workflow import WORK

SEND_FREE_TEXT = "requests_desk.send_free_text_letter"


def letter_preview(*, request: DataSubjectRequest, kind: str, **extra) -> tuple[str, str]:
    """The letter as the requester would receive it: (subject, body). Refused when the request
    lacks a value the letter prints."""
    if kind not in DEFAULT_LETTERS:
        raise ValidationError(
            _("Er is geen briefsjabloon '%(kind)s'.") % {"kind": kind}, code="no_template"
        )
    subject, body = DEFAULT_LETTERS[kind]
    template, _created = LetterTemplate.objects.get_or_create(
        kind=kind, defaults={"subject": subject, "body": body}
    )
    return render_letter(template, request, **extra)


def letter_queue(
    *, request: DataSubjectRequest, kind: str, by=None, scrub_after_send: bool = False, **extra
) -> OutboxMessage | PostalLetter:
    """Send a letter in the caller's transaction, for the service that took the decision it
    reports (or the desk's `letter_send`): by e-mail through the outbox, or, without an e-mail
    address, into the "to post" queue. Either way a line on the timeline. With
    `scrub_after_send` the address and text are removed once it is sent or posted."""
    subject, body = letter_preview(request=request, kind=kind, **extra)
    if request.requester_email:
        message = outbox_queue(
            request=request,
            kind=kind,
            to=request.requester_email,
            subject=subject,
            body=body,
            scrub_after_send=scrub_after_send,
        )
        timeline_add(request, EventKind.LETTER, by, subject, letter=kind, outbox_id=message.pk)
        return message
    letter = PostalLetter.objects.create(
        request=request,
        letter_kind=kind,
        name=request.requester_name,
        address=request.requester_address,
        subject=subject,
        body=body,
        scrub_after_send=scrub_after_send,
    )
    timeline_add(
        request,
        EventKind.LETTER,
        by,
        _("%(subject)s — klaargezet om per post te versturen") % {"subject": subject},
        letter=kind,
        postal_id=letter.pk,
    )
    return letter


@transaction.atomic
def letter_send(
    *, request: DataSubjectRequest, kind: str, by, tekst: str = ""
) -> OutboxMessage | PostalLetter:
    """Send, by hand from the desk's letter page, a letter that carries no decision: the
    acknowledgement, the identity check, or a free-text letter (only by someone the privacy officer
    has allowed to). A letter that reports a decision is refused: it goes out only with the
    decision, from the service that takes it."""
    if kind in DECISION_LETTERS:
        raise ValidationError(
            _(
                "De brief '%(kind)s' meldt een beslissing en gaat alleen mee met die beslissing "
                "(verlengen, afwijzen, afronden, wissen, beperking opheffen, inzagepakket): u kunt "
                "hem hier niet los versturen."
            )
            % {"kind": LetterKind(kind).label},
            code="decision_letter",
        )
    if kind not in HAND_LETTERS:
        raise ValidationError(_("Onbekende brief."), code="no_template")
    require_permission(by, WORK, _("U mag geen brieven versturen."))
    require_open(request)
    extra = {}
    if kind == LetterKind.FREE_TEXT:
        if by is not None and not by.has_perm(SEND_FREE_TEXT):
            raise ValidationError(
                _("Een vrije brief mag alleen versturen wie de privacy officer dat toestaat."),
                code="not_permitted",
            )
        extra["tekst"] = tekst.strip()
    return letter_queue(request=request, kind=kind, by=by, **extra)


@transaction.atomic
def postal_letter_mark_posted(*, letter: PostalLetter, by) -> PostalLetter:
    """Record that the agent has posted the printed letter: the timeline says "verstuurd per post
    op …". The erasure confirmation then loses its text, address and PDF (its last copy)."""
    letter = PostalLetter.objects.select_for_update().get(pk=letter.pk)
    if letter.is_posted:
        raise ValidationError(_("Deze brief is al per post verstuurd."), code="already_posted")
    _refuse_withheld(letter)
    letter.posted_at, letter.posted_by = timezone.now(), by
    fields = ["posted_at", "posted_by"]
    if letter.scrub_after_send:
        if letter.pdf:
            name, storage = letter.pdf.name, letter.pdf.storage
            transaction.on_commit(lambda: storage.delete(name))  # not before the change holds
        letter.name, letter.address, letter.body, letter.pdf = "", "", "", ""
        fields += ["name", "address", "body", "pdf"]
    letter.save(update_fields=fields)
    with translation.override("nl"):
        day = formats.date_format(timezone.localdate(letter.posted_at), "j F Y")
    timeline_add(
        letter.request,
        EventKind.POSTED,
        by,
        _("%(letter)s: verstuurd per post op %(day)s")
        % {"letter": letter.get_letter_kind_display(), "day": day},
        letter=letter.letter_kind,
        postal_id=letter.pk,
    )
    return letter


def _refuse_withheld(letter: PostalLetter) -> None:
    if letter.withheld:
        raise ValidationError(
            _("Deze brief wordt niet verstuurd: de gegevens van de betrokkene zijn gewist."),
            code="withheld",
        )


def postal_letter_pdf(*, letter: PostalLetter) -> bytes:
    """The printed letter: made once, on first use, and kept in the "letters" storage, so what
    the agent prints again later is the same letter. A letter queued before the requester's
    address was known takes the address the request has now. A posted erasure confirmation has
    none left to print."""
    if letter.is_posted and letter.scrub_after_send:
        raise ValidationError(_("Deze brief is verstuurd en daarna gewist."), code="scrubbed")
    _refuse_withheld(letter)
    if letter.pdf:
        with letter.pdf.open("rb") as stored:
            return stored.read()
    address = letter.address or letter.request.requester_address
    content = letter_pdf(
        reference=letter.request.reference,
        name=letter.name,
        address=address,
        subject=letter.subject,
        body=letter.body,
        day=timezone.localdate(letter.queued_at),
    )
    with transaction.atomic():
        locked = PostalLetter.objects.select_for_update().get(pk=letter.pk)
        if not locked.pdf:  # two agents printing at once: the first one's file is kept
            locked.address = address
            locked.pdf.save(f"{letter.request.reference}-{letter.pk}.pdf", ContentFile(content))
        letter.refresh_from_db()
    return content


def outbox_letter_pdf(*, message: OutboxMessage) -> bytes:
    """An e-mailed letter as a PDF, to print for the file or for the requester. A letter whose
    text was removed after sending (a download link, the erasure confirmation) has none left."""
    if not message.body:
        raise ValidationError(
            _("De tekst van deze brief is na verzending gewist."), code="scrubbed"
        )
    request = message.request
    return letter_pdf(
        reference=request.reference,
        name=request.requester_name,
        address=request.requester_address or request.requester_email,
        subject=message.subject,
        body=message.body,
        day=timezone.localdate(message.queued_at),
    )
