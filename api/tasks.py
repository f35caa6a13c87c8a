"""Celery tasks: thin shells around api/jobs.py."""

from celery import shared_task

from api import jobs


@shared_task
def webhooks_sweep() -> int:
    return jobs.webhooks_sweep()
