"""Celery tasks: thin shells around the desk's outbox (requests_desk/outbox.py) and jobs
(requests_desk/jobs.py). Tasks import them, never the reverse: the outbox names the sending task
by its registered name (`outbox.SEND_TASK`)."""

from celery import shared_task
from django.utils import timezone

from requests_desk import jobs, mailbox, outbox


@shared_task(autoretry_for=(Exception,), retry_backoff=30, retry_backoff_max=3600, max_retries=5)
def send_outbox_message(message_id: int) -> bool:
    return outbox.outbox_send(message_id=message_id)


@shared_task
def outbox_sweep() -> int:
    return outbox.outbox_sweep()


@shared_task
def reminders() -> int:
    return jobs.reminders_send(today=timezone.localdate())


@shared_task
def close_out() -> dict:
    return jobs.requests_close_out()


@shared_task
def retention() -> list[str]:
    return jobs.requests_minimise(today=timezone.localdate(), dry_run=False)


@shared_task
def mailbox_poll() -> int:
    return mailbox.mailbox_poll()
