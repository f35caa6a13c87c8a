"""Celery tasks: thin shells around the register's jobs (privacy_register/jobs.py)."""

from celery import shared_task
from django.utils import timezone

from privacy_register import jobs


@shared_task
def register_digest() -> int:
    return jobs.register_digest_send(today=timezone.localdate())
