"""The task checklist of a request: ticking a task off, and on again, and recording what a system
outside this application gave (its export, nothing, or the records it erased)."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from requests_desk.models import DataSubjectRequest, EventKind, RequestTask, TaskResult
from requests_desk.services.common import request_lock, require_open, timeline_add
from requests_desk.uploads import export_check


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
    old_file = task.result_file.name
    task.done_at, task.done_by = None, None
    task.result_kind, task.records_count, task.result_note, task.result_file = "", None, "", ""
    task.save(
        update_fields=[
            "done_at",
            "done_by",
            "result_kind",
            "records_count",
            "result_note",
            "result_file",
        ]
    )
    if old_file:
        storage = task.result_file.storage
        transaction.on_commit(lambda: storage.delete(old_file))
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


@transaction.atomic
def task_record_result(
    *,
    task: RequestTask,
    result_kind: str,
    by,
    records_count: int | None = None,
    note: str = "",
    file_name: str = "",
    file_content: bytes | None = None,
) -> RequestTask:
    """Record what a system outside this application gave for this task, and tick it off: the
    export it produced (CSV, JSON or PDF, checked and stored in the `uploads` storage; it goes
    into the access package under the system's name), "nothing found", or "erased, N records".
    A connector records its result through here as well."""
    task = (
        RequestTask.objects.select_for_update(of=("self",))
        .select_related("request", "system", "activity")
        .get(pk=task.pk)
    )
    require_open(task.request)
    if task.is_done:
        raise ValidationError(_("Deze taak is al afgevinkt."), code="done")
    if result_kind not in TaskResult.values:
        raise ValidationError(_("Kies wat het systeem gaf."), code="result_kind")
    if result_kind == TaskResult.EXPORTED:
        if not file_content:
            raise ValidationError(_("Voeg de export van het systeem toe."), code="no_file")
        suffix = export_check(name=file_name, content=file_content)
    elif file_content:
        raise ValidationError(
            _("Een bestand hoort alleen bij een export."), code="file_not_expected"
        )
    if result_kind == TaskResult.ERASED:
        if records_count is None or records_count < 0:
            raise ValidationError(
                _("Geef aan hoeveel records het systeem heeft verwijderd."), code="count"
            )
    elif result_kind == TaskResult.NOTHING_FOUND:
        records_count = 0
    task.result_kind, task.records_count, task.result_note = (
        result_kind,
        records_count,
        note.strip(),
    )
    if result_kind == TaskResult.EXPORTED:
        stem = slugify(file_name.rsplit(".", 1)[0])[:60] or "export"
        task.result_file.save(
            f"{task.request.reference}-{task.pk}-{stem}{suffix}",
            ContentFile(file_content),
            save=False,
        )
    task.done_at, task.done_by = timezone.now(), by
    try:
        task.save()
    except Exception:  # the row did not take it: leave no copy of someone's data behind
        if task.result_file.name:
            task.result_file.storage.delete(task.result_file.name)
        raise
    timeline_add(
        task.request,
        EventKind.TASK_RESULT,
        by,
        f"{task.title}: {TaskResult(result_kind).label}",
        task=task.pk,
        result=result_kind,
        records=records_count,
    )
    return task
