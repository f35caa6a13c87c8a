"""The outbox: every mail the office sends, a letter to a requester or a mail to the team, is
written here as an `OutboxMessage` in the same transaction as the change that caused it, and sent
by a worker once that transaction commits. When the broker is down the message stays queued and the
periodic sweep sends it later: nothing is lost, nothing goes out twice.

`outbox_queue` is the one place a message is created; `outbox_send` sends one; `outbox_sweep`
sends what is waiting. Services and jobs call this module; the Celery shells in `tasks.py` call it
too, and it names their task by its registered name so it never imports them.
"""

import logging

from celery import current_app
from django.conf import settings
from django.core.mail import DNS_NAME, EmailMessage
from django.core.mail.message import make_msgid
from django.db import transaction
from django.utils import timezone

from requests_desk.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)
SCRUBBED_ADDRESS = "verzonden@invalid.example"
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
    """Send one queued message. The row is locked while it is sent (a second worker skips it) and
    marked sent in the same transaction; True when this call sent it."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=OutboxStatus.QUEUED)
            .first()
        )
        if message is None:
            return False
        message.attempts += 1
        # Our own Message-ID, kept: a bounce names it (and a reply answers it, In-Reply-To).
        message.message_id = make_msgid(domain=DNS_NAME)
        try:
            EmailMessage(
                message.subject,
                message.body,
                to=[message.to],
                headers={"Message-ID": message.message_id},
            ).send()
        except Exception as error:  # noqa: BLE001 — any mail failure is recorded and retried
            message.last_error = f"{type(error).__name__}: {error}"[:1000]
            if message.attempts >= settings.DESK_OUTBOX_MAX_ATTEMPTS:
                message.status = OutboxStatus.FAILED
            message.save(update_fields=["attempts", "last_error", "status", "message_id"])
            log.warning("outbox message %s not sent (attempt %s)", message.pk, message.attempts)
            return False
        message.status, message.sent_at = OutboxStatus.SENT, timezone.now()
        fields = ["attempts", "status", "sent_at", "message_id"]
        if message.scrub_after_send:
            message.to, message.body = SCRUBBED_ADDRESS, ""
            fields += ["to", "body"]
        message.save(update_fields=fields)
        return True


def outbox_sweep(*, limit: int = 500) -> int:
    """Send what is queued — letters queued while the broker was down included."""
    ids = list(
        OutboxMessage.objects.filter(status=OutboxStatus.QUEUED)
        .order_by("queued_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(outbox_send(message_id=pk) for pk in ids)
