"""Celery tasks: thin shells around the consent ledger's jobs (consents/jobs.py) and services."""

from celery import shared_task
from django.utils import timezone

from consents import jobs, services


@shared_task
def soft_opt_in_expiry() -> int:
    return jobs.soft_opt_in_expire(today=timezone.localdate())


@shared_task
def ledger_checkpoint() -> int:
    """Sign the ledger's tree as it is now and write the checkpoint outside the database (beat
    runs this every CONSENT_CHECKPOINT_SECONDS); returns the checkpoint's tree size."""
    return services.ledger_checkpoint().tree_size


@shared_task
def ledger_integrate() -> int:
    """The sequencer: integrate the queued ledger events (woken when one is recorded, and run by
    beat every second); returns how many it integrated."""
    return services.ledger_integrate_all()
