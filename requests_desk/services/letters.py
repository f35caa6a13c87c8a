"""The templated letters to a requester: preview, and send through the outbox."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from requests_desk.default_letters import LETTERS as DEFAULT_LETTERS
from requests_desk.letters import render_letter
from requests_desk.models import DataSubjectRequest, EventKind, LetterTemplate, OutboxMessage
from requests_desk.outbox import outbox_queue
from requests_desk.services.common import timeline_add


def letter_preview(*, request: DataSubjectRequest, kind: str, **extra) -> tuple[str, str]:
    """The letter as the requester would receive it: (subject, body)."""
    if kind not in DEFAULT_LETTERS:
        raise ValidationError(
            _("Er is geen briefsjabloon '%(kind)s'.") % {"kind": kind}, code="no_template"
        )
    subject, body = DEFAULT_LETTERS[kind]
    template, _created = LetterTemplate.objects.get_or_create(
        kind=kind, defaults={"subject": subject, "body": body}
    )
    return render_letter(template, request, **extra)


@transaction.atomic
def letter_send(
    *, request: DataSubjectRequest, kind: str, by=None, scrub_after_send: bool = False, **extra
) -> OutboxMessage:
    """Queue a letter to the requester and record it on the timeline. Letters go by e-mail; a
    request without an e-mail address gets its letter printed by the agent (the timeline says so).
    With `scrub_after_send` the address and body are removed from the outbox once sent."""
    subject, body = letter_preview(request=request, kind=kind, **extra)
    if not request.requester_email:
        raise ValidationError(
            _("Deze verzoeker heeft geen e-mailadres: verstuur de brief per post."),
            code="no_email",
        )
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
