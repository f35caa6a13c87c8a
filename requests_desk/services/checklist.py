"""The task checklist of a request: ticking a task off, and on again."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from requests_desk.models import EventKind, RequestTask
from requests_desk.services.common import require_open, timeline_add


@transaction.atomic
def task_complete(*, task: RequestTask, by) -> RequestTask:
    """Tick off one task of the checklist."""
    task = RequestTask.objects.select_for_update().select_related("request").get(pk=task.pk)
    require_open(task.request)
    if task.is_done:
        raise ValidationError(_("Deze taak is al afgevinkt."), code="done")
    task.done_at, task.done_by = timezone.now(), by
    task.save(update_fields=["done_at", "done_by"])
    timeline_add(task.request, EventKind.TASK_DONE, by, task.title, task=task.pk)
    return task


@transaction.atomic
def task_reopen(*, task: RequestTask, by) -> RequestTask:
    """Untick a task that was ticked by mistake."""
    task = RequestTask.objects.select_for_update().select_related("request").get(pk=task.pk)
    require_open(task.request)
    if not task.is_done:
        raise ValidationError(_("Deze taak staat nog open."), code="open")
    task.done_at, task.done_by = None, None
    task.save(update_fields=["done_at", "done_by"])
    timeline_add(task.request, EventKind.TASK_REOPENED, by, task.title, task=task.pk)
    return task
