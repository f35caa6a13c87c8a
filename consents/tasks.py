"""Celery tasks: thin shells around the consents' jobs (consents/jobs.py)."""

from celery import shared_task
from django.utils import timezone

from consents import jobs


@shared_task
def soft_opt_in_expiry() -> int:
    return jobs.soft_opt_in_expire(today=timezone.localdate())
