"""Mail that comes in to the privacy mailbox: taking one mail in (once, by its Message-ID), a
reply joining its request, a bounce failing its letter, and the agent's answers to the inbox
(opening a request from a mail, setting one aside, having seen what a request flagged)."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from consents.addresses import normalise_email
from consents.models import DataSubject
from requests_desk.inbound import Mail, content_matches, mail_parse
from requests_desk.models import (
    DataSubjectRequest,
    EventKind,
    InboundAttachment,
    InboundKind,
    InboundMessage,
    InboundStatus,
    OutboxMessage,
    OutboxStatus,
)
from requests_desk.services.common import request_lock, timeline_add

log = logging.getLogger(__name__)


def _sender_subject(address: str) -> DataSubject | None:
    if not address:
        return None
    return DataSubject.objects.filter(email=normalise_email(address)).first()


def _answered_request(mail: Mail) -> DataSubjectRequest | None:
    """The request this mail answers: the letter it replies to (In-Reply-To/References), else
    the reference in its subject — and only when it comes from the requester's own address."""
    request = None
    if mail.in_reply_to:
        letter = (
            OutboxMessage.objects.filter(message_id__in=mail.in_reply_to, request__isnull=False)
            .select_related("request")
            .first()
        )
        request = letter.request if letter else None
    if request is None and mail.reference:
        request = DataSubjectRequest.objects.filter(reference=mail.reference).first()
    if request is None or not mail.from_address:
        return None
    sender = normalise_email(mail.from_address)
    known = {normalise_email(request.requester_email)} if request.requester_email else set()
    if request.subject_id and request.subject.email:
        known.add(normalise_email(request.subject.email))
    return request if sender in known else None


def request_flag(*, request: DataSubjectRequest, reason: str) -> None:
    """Ask the agent to look at the request (shown in the queue and on its page)."""
    request.attention_since = timezone.now()
    request.attention_reason = reason[:200]
    request.save(update_fields=["attention_since", "attention_reason"])


def _keep_attachments(inbound: InboundMessage, mail: Mail, saved: list[str]) -> None:
    """Keep the attachments that are small enough and of an allowed type, really (by content);
    note the others with the reason. The names of the files written are added to `saved`."""
    refused = []
    for attachment in mail.attachments:
        name = get_valid_filename(attachment.filename)[:150] or "bijlage"
        if len(attachment.payload) > settings.DESK_ATTACHMENT_MAX_BYTES:
            refused.append({"name": name, "reason": "too_large"})
            continue
        if attachment.content_type not in settings.DESK_ATTACHMENT_TYPES or not content_matches(
            attachment.content_type, attachment.payload
        ):
            refused.append({"name": name, "reason": "type"})
            continue
        kept = InboundAttachment(
            message=inbound,
            request=inbound.request,
            filename=name,
            content_type=attachment.content_type,
            size=len(attachment.payload),
        )
        kept.stored_name = kept.storage().save(
            f"requests_desk/uploads/{timezone.now():%Y/%m}/{name}", ContentFile(attachment.payload)
        )
        saved.append(kept.stored_name)
        kept.save()
    if refused:
        inbound.refused_attachments = refused
        inbound.save(update_fields=["refused_attachments"])


def _bounce_in(inbound: InboundMessage, mail: Mail) -> None:
    """A bounce of one of our letters: the letter is marked failed, and the agent told on its
    request. A report that delivery is only delayed changes nothing."""
    bounce = mail.bounce
    letter = None
    if bounce.original_message_id:
        letter = OutboxMessage.objects.filter(message_id=bounce.original_message_id).first()
    if letter is None and bounce.recipient:
        # The report did not return the letter's headers: the last letter sent to that address.
        letter = (
            OutboxMessage.objects.filter(to__iexact=bounce.recipient, status=OutboxStatus.SENT)
            .order_by("-sent_at")
            .first()
        )
    if letter is None or not bounce.failed:
        return
    letter.status = OutboxStatus.FAILED
    letter.last_error = (_("Onbestelbaar: %(reason)s") % {"reason": bounce.diagnostic})[:1000]
    letter.save(update_fields=["status", "last_error"])
    inbound.bounced, inbound.status, inbound.request = letter, InboundStatus.LINKED, letter.request
    inbound.save(update_fields=["bounced", "status", "request"])
    if letter.request is not None:
        request_lock(letter.request)
        reason = _("De brief “%(subject)s” is niet bezorgd.") % {"subject": letter.subject}
        timeline_add(
            letter.request,
            EventKind.BOUNCED,
            None,
            reason,
            outbox_id=letter.pk,
            recipient=bounce.recipient,
        )
        request_flag(request=letter.request, reason=reason)


@transaction.atomic
def mail_take_in(*, raw: bytes) -> InboundMessage | None:
    """Take one mail of the privacy mailbox in, once: None when its Message-ID was taken in
    before (a second poll, or another worker at the same moment). A reply from the requester to
    one of our letters joins its request's timeline and flags it for the agent; a bounce fails
    its letter; anything else waits in the desk's inbox, its sender matched to a data subject."""
    mail = mail_parse(raw)
    if InboundMessage.objects.filter(message_id=mail.message_id).exists():
        return None
    answered = None if mail.bounce else _answered_request(mail)
    kind = InboundKind.REPLY if answered else InboundKind.REQUEST
    if mail.bounce:
        kind = InboundKind.BOUNCE
    try:
        with transaction.atomic():
            inbound = InboundMessage.objects.create(
                message_id=mail.message_id,
                kind=kind,
                status=InboundStatus.LINKED if answered else InboundStatus.OPEN,
                from_address=mail.from_address,
                from_name=mail.from_name,
                subject_line=mail.subject,
                body=mail.body,
                sent_at=mail.sent_at,
                data_subject=None if mail.bounce else _sender_subject(mail.from_address),
                request=answered,
            )
    except IntegrityError:  # another worker took this mail in at the same moment
        return None
    if mail.bounce:
        _bounce_in(inbound, mail)
        return inbound
    saved: list[str] = []
    try:
        _keep_attachments(inbound, mail, saved)
    except Exception:
        # The take-in rolls back: no attachment of it may stay behind in the storage.
        for name in saved:
            InboundAttachment.storage().delete(name)
        raise
    if answered is not None:
        request_lock(answered)
        timeline_add(
            answered,
            EventKind.REPLY,
            None,
            mail.body,
            inbound=inbound.pk,
            subject=mail.subject,
            attachments=inbound.attachments.count(),
        )
        request_flag(
            request=answered,
            reason=_("Antwoord van de verzoeker: %(subject)s") % {"subject": mail.subject},
        )
    return inbound


@transaction.atomic
def inbound_link(*, inbound: InboundMessage, request: DataSubjectRequest, by) -> InboundMessage:
    """The agent opened `request` from this mail: the mail and its attachments belong to it."""
    inbound = InboundMessage.objects.select_for_update().get(pk=inbound.pk)
    if inbound.status != InboundStatus.OPEN:
        raise ValidationError(_("Dit bericht is al behandeld."), code="handled")
    inbound.status, inbound.request, inbound.handled_by = InboundStatus.LINKED, request, by
    inbound.save(update_fields=["status", "request", "handled_by"])
    inbound.attachments.update(request=request)
    return inbound


@transaction.atomic
def request_open_from_mail(*, inbound: InboundMessage, by, **fields) -> DataSubjectRequest:
    """Open a request from a mail of the inbox (the agent chose its kind): the request and the
    mail, with its attachments, are joined in one transaction."""
    from requests_desk.services.intake import request_open

    request = request_open(opened_by=by, **fields)
    inbound_link(inbound=inbound, request=request, by=by)
    return request


@transaction.atomic
def inbound_dismiss(*, inbound: InboundMessage, by) -> InboundMessage:
    """The agent set the mail aside: it is no request (it stays, with who decided so)."""
    inbound = InboundMessage.objects.select_for_update().get(pk=inbound.pk)
    if inbound.status != InboundStatus.OPEN:
        raise ValidationError(_("Dit bericht is al behandeld."), code="handled")
    inbound.status, inbound.handled_by = InboundStatus.DISMISSED, by
    inbound.save(update_fields=["status", "handled_by"])
    return inbound


@transaction.atomic
def request_attention_clear(*, request: DataSubjectRequest, by) -> DataSubjectRequest:
    """The agent has seen what the request was flagged for."""
    request_lock(request)
    if request.attention_since is None:
        return request
    reason = request.attention_reason
    request.attention_since, request.attention_reason = None, ""
    request.save(update_fields=["attention_since", "attention_reason"])
    timeline_add(request, EventKind.ATTENTION_SEEN, by, reason)
    return request
