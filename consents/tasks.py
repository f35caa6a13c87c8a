"""Celery tasks of the consent ledger: thin shells around its services."""

from celery import shared_task

from consents import services


@shared_task
def ledger_checkpoint() -> int:
    """Sign the ledger's tree as it is now and write the checkpoint outside the database (beat
    runs this every CONSENT_CHECKPOINT_SECONDS); returns the checkpoint's tree size."""
    return services.ledger_checkpoint().tree_size
