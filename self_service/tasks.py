from celery import shared_task

from self_service.services import pending_submissions_remove_expired


@shared_task
def remove_expired_pending_submissions() -> int:
    return pending_submissions_remove_expired()
