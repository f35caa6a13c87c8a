"""Celery tasks: thin shells around rights.services."""

from celery import shared_task

from requests_desk.models import DataSubjectRequest
from subject_rights import services


@shared_task(autoretry_for=(OSError,), retry_backoff=30, max_retries=3)
def build_access_package(request_id: int) -> int | None:
    request = DataSubjectRequest.objects.get(pk=request_id)
    package = services.package_build(request=request)
    return package.pk if package else None  # None: still waiting for a connected system


@shared_task
def remove_expired_packages() -> int:
    return services.packages_remove_expired()


@shared_task
def lift_due_restrictions() -> int:
    return services.restrictions_lift_due()


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=3)
def finish_erasure(request_id: int) -> bool:
    """Erase our own tables and send the confirmation once every connected system is done;
    delivered twice, the second does nothing (False)."""
    request = DataSubjectRequest.objects.get(pk=request_id)
    return services.erasure_finish(request=request) is not None
