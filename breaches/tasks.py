"""Celery tasks: thin shells around the breach register's jobs (breaches/jobs.py)."""

from celery import shared_task
from django.utils import timezone

from breaches import jobs, services


@shared_task
def reminders() -> int:
    return jobs.reminders_send(now=timezone.now())


@shared_task(
    name="breaches.tasks.send_notice_batch",
    autoretry_for=(Exception,),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=5,
)
def send_notice_batch(message_ids: list[int]) -> int:
    return jobs.notice_batch_send(message_ids=message_ids)


@shared_task(name="breaches.tasks.notice_lookup", acks_late=True)
def notice_lookup(lookup_id: int) -> str:
    """Look the people up in the chosen systems and queue the notice (idempotent: a lookup that is
    no longer waiting does nothing; a system's failure is recorded on the lookup)."""
    return services.notice_lookup_run(lookup_id=lookup_id).status
