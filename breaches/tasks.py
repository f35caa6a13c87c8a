"""Celery tasks: thin shells around the breach register's jobs (breaches/jobs.py)."""

from celery import shared_task
from django.utils import timezone

from breaches import jobs


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
