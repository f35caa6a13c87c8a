"""The task checklist of a request: ticking a task off, and on again."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from requests_desk.models import DataSubjectRequest, EventKind, RequestTask
from requests_desk.services.common import request_lock, require_open, timeline_add


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


@transaction.atomic
def tasks_complete(*, request: DataSubjectRequest, task_ids: list[int], by) -> list[RequestTask]:
    """Tick off several tasks of one request at once (one action of the agent): each one open
    gets its timeline line, as one by one; tasks already ticked off are left as they are."""
    request_lock(request)
    require_open(request)
    tasks = list(
        RequestTask.objects.select_for_update()
        .filter(request=request, pk__in=task_ids, done_at__isnull=True)
        .order_by("pk")
    )
    if not tasks and task_ids:
        raise ValidationError(_("Deze taken zijn al afgevinkt."), code="done")
    if not task_ids:
        raise ValidationError(_("Kies de taken om af te vinken."), code="none")
    now = timezone.now()
    for task in tasks:
        task.done_at, task.done_by = now, by
    bulk_update_with_history(tasks, RequestTask, ["done_at", "done_by"], default_user=by)
    for task in tasks:
        timeline_add(request, EventKind.TASK_DONE, by, task.title, task=task.pk)
    return tasks
