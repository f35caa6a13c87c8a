"""Platform jobs: the worker's heartbeat that /health/ reads."""

from celery import shared_task

from config.health import heartbeat_write


@shared_task
def worker_heartbeat() -> float:
    return heartbeat_write()
