"""The outbox: every mail the office sends, a letter to a requester or a mail to the team, is
written here as an `OutboxMessage` in the same transaction as the change that caused it, and sent
by a worker once that transaction commits. When the broker is down the message stays queued and the
periodic sweep sends it later: nothing is lost. A message is marked "sending" in a committed step
of its own before the mail server is called and goes out with a Message-ID fixed once, so a
worker that dies mid-send leaves a trace the sweep acts on: it sends the message again under the
same id (the receiving side sees one message) and notes that on the request's timeline.

`outbox_queue` is the one place a message is created; `outbox_send` sends one; `outbox_sweep`
sends what is waiting. Services and jobs call this module; the Celery shells in `tasks.py` call it
too, and it names their task by its registered name so it never imports them.
"""

import datetime as dt
import logging
import secrets

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from requests_desk.models import EventKind, OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)
SCRUBBED_ADDRESS = "verzonden@invalid.example"
FAILED_ADDRESS = "mislukt@invalid.example"
# The Celery task that sends one message (requests_desk.tasks.send_outbox_message).
SEND_TASK = "requests_desk.tasks.send_outbox_message"


def send_soon(message_id: int) -> None:
    """Hand the message to a worker once the change is committed. When the broker is down the
    message stays queued in the outbox and the periodic sweep sends it later: nothing is lost."""
    try:
        current_app.send_task(SEND_TASK, args=[message_id])
    except Exception:  # noqa: BLE001 — the broker is unreachable; the sweep will send it
        log.warning("broker unreachable; outbox message %s waits for the sweep", message_id)


def outbox_queue(
    *,
    to: str,
    kind: str,
    subject: str,
    body: str,
    request=None,
    key: str | None = None,
    scrub_after_send: bool = False,
) -> OutboxMessage | None:
    """Write one message into the outbox, in the caller's transaction, and have it sent once
    that transaction commits. A `key` makes the message once-only (a unique constraint): when a
    message with that key was queued before, nothing is written and None comes back."""
    if key is not None and OutboxMessage.objects.filter(dedupe_key=key).exists():
        return None
    message = OutboxMessage.objects.create(
        request=request,
        letter_kind=kind,
        to=to,
        subject=subject,
        body=body,
        dedupe_key=key,
        scrub_after_send=scrub_after_send,
    )
    transaction.on_commit(lambda: send_soon(message.pk))
    return message


def outbox_send(*, message_id: int) -> bool:
    """Send one queued message; True when this call sent it. Three steps, each committed on its
    own, so that a worker that dies mid-way never leaves a letter lost or sent under two ids:

    1. the row is marked "sending" (locked meanwhile: a second worker skips it) and committed;
    2. the mail goes out with the message's stable Message-ID;
    3. the row is marked sent (or, on a refusal, queued again or failed).

    A worker that dies after the mail server accepted the mail but before step 3 leaves the row
    "sending": the sweep sends it again later with the same Message-ID (`outbox_sweep`)."""
    message = _claim(message_id)
    return message is not None and _deliver(message)


def _message_id(message: OutboxMessage) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(" >") or "localhost"
    return f"<outbox-{message.pk}.{secrets.token_hex(8)}@{domain}>"


def _claim(message_id: int, *, interrupted_before=None) -> OutboxMessage | None:
    """Step 1: mark the message "sending" in a transaction of its own. A message still
    "sending" since before `interrupted_before` was interrupted: it is claimed again, and that is
    noted on its request's timeline."""
    waiting = Q(status=OutboxStatus.QUEUED)
    if interrupted_before is not None:
        waiting |= Q(status=OutboxStatus.SENDING, sending_at__lt=interrupted_before)
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(waiting, pk=message_id)
            .first()
        )
        if message is None:
            return None
        interrupted = message.status == OutboxStatus.SENDING
        message.status, message.sending_at = OutboxStatus.SENDING, timezone.now()
        message.attempts += 1
        message.message_id = message.message_id or _message_id(message)
        message.save(update_fields=["status", "sending_at", "attempts", "message_id"])
        if interrupted and message.request_id:
            # The desk's one timeline helper; imported here, as the services import this module.
            from requests_desk.services.common import timeline_add

            timeline_add(
                message.request,
                EventKind.RESENT,
                None,
                _(
                    "De verzending van '%(subject)s' werd onderbroken; opnieuw verstuurd met "
                    "hetzelfde Message-ID, zodat de ontvanger één bericht ziet."
                )
                % {"subject": message.subject},
                message_id=message.message_id,
                outbox_message=message.pk,
            )
    return message


def _deliver(message: OutboxMessage) -> bool:
    """Steps 2 and 3: send, then record the outcome."""
    try:
        EmailMessage(
            message.subject,
            message.body,
            to=[message.to],
            headers={"Message-ID": message.message_id},
        ).send()
    except Exception as error:  # noqa: BLE001 — any mail failure is recorded and retried
        message.last_error = f"{type(error).__name__}: {error}"[:1000]
        if message.scrub_after_send:  # a mail server's refusal quotes the address
            message.last_error = type(error).__name__
        outcome = {"last_error": message.last_error, "status": OutboxStatus.QUEUED}
        if message.attempts >= settings.DESK_OUTBOX_MAX_ATTEMPTS:
            outcome["status"] = OutboxStatus.FAILED
            if message.scrub_after_send:
                # Never sent, and never will be: a letter that must not outlive its sending (the
                # erasure confirmation, a download link) must not outlive its failing either.
                outcome |= {"to": FAILED_ADDRESS, "body": ""}
        # Only while it is still "sending": an erasure meanwhile withheld it (and emptied it),
        # and queued again it would go out blank.
        OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.SENDING).update(**outcome)
        log.warning("outbox message %s not sent (attempt %s)", message.pk, message.attempts)
        return False
    message.status, message.sent_at = OutboxStatus.SENT, timezone.now()
    fields = ["status", "sent_at"]
    if message.scrub_after_send:
        message.to, message.body = SCRUBBED_ADDRESS, ""
        fields += ["to", "body"]
    message.save(update_fields=fields)
    return True


def outbox_sweep(*, limit: int = 500) -> int:
    """Send what is queued — letters queued while the broker was down included — and what a dead
    worker left "sending" for longer than DESK_OUTBOX_SENDING_TIMEOUT_SECONDS, again with its
    Message-ID."""
    cutoff = timezone.now() - dt.timedelta(seconds=settings.DESK_OUTBOX_SENDING_TIMEOUT_SECONDS)
    ids = list(
        OutboxMessage.objects.filter(
            Q(status=OutboxStatus.QUEUED) | Q(status=OutboxStatus.SENDING, sending_at__lt=cutoff)
        )
        .order_by("queued_at")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for pk in ids:
        message = _claim(pk, interrupted_before=cutoff)
        sent += message is not None and _deliver(message)
    return sent
