"""How the breach register hands mail to the desk's outbox: one place, so that the register follows
the outbox wherever it lives. Nothing leaves the process before commit: the rows are written in the
caller's transaction and handed to the workers once it commits."""

import hashlib

from celery import current_app
from django.conf import settings
from django.db import transaction

from requests_desk.models import OutboxKind, OutboxMessage
from requests_desk.outbox import outbox_queue

# The Celery task that sends one batch (breaches.tasks.send_notice_batch), named rather than
# imported: the tasks import the jobs, which queue mail here.
SEND_BATCH_TASK = "breaches.tasks.send_notice_batch"


def send_batch_soon(message_ids: list[int]) -> None:
    """Hand one batch of a bulk notice to a worker (raises when the broker is unreachable)."""
    current_app.send_task(SEND_BATCH_TASK, args=[message_ids])


def queue_internal(
    *, to: str, subject: str, body: str, key: str | None = None
) -> OutboxMessage | None:
    """Mail to a member of staff (the privacy officer, an escalation)."""
    return outbox_queue(to=to, kind=OutboxKind.BREACH_ALERT, subject=subject, body=body, key=key)


def notice_key(notice_id: int, email: str) -> str:
    """One notice per person per breach: a second queueing is refused by the outbox's unique key."""
    return f"breach-notice:{notice_id}:{hashlib.sha256(email.encode()).hexdigest()[:40]}"


def queue_bulk(*, notice_id: int, subject: str, messages) -> list[int]:
    """Queue one message per (email, body) in batches of a few statements each; returns the ids,
    handed to the workers in batches once the transaction commits."""
    rows = [
        OutboxMessage(
            to=email,
            letter_kind=OutboxKind.BREACH_NOTICE,
            subject=subject,
            body=body,
            dedupe_key=notice_key(notice_id, email),
        )
        for email, body in messages
    ]
    ids = [row.pk for row in OutboxMessage.objects.bulk_create(rows, batch_size=5000)]
    size = settings.BREACHES_NOTICE_BATCH

    def hand_over():
        for start in range(0, len(ids), size):
            try:
                send_batch_soon(ids[start : start + size])
            except Exception:  # noqa: BLE001 — the broker is down: the outbox sweep sends them
                break

    transaction.on_commit(hand_over)
    return ids
