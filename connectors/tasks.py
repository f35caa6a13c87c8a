"""Celery tasks: thin shells around connectors.services."""

from celery import shared_task

from connectors import runner, services

RETRIES = 3


@shared_task(bind=True, max_retries=RETRIES, acks_late=True)
def connector_run(self, run_id: int) -> str:
    """One system's part of a request. A failure is retried with backoff (10 s, 20 s, 40 s); the
    last one is recorded on the run and becomes a task for a person."""
    final = self.request.retries >= RETRIES
    try:
        run = services.run_execute(run_id=run_id, final=final)
    except runner.ConnectorFailed as error:
        raise self.retry(exc=error, countdown=10 * 2**self.request.retries) from error
    return run.status
