"""The whole answer before "done": a request's access package or erasure confirmation waits until
every task of its checklist is done — the tasks for the systems outside this application included,
each with its result (`checklist.task_record_result`). The privacy officer may answer earlier with
a reason and the date the rest follows; the letter then says what is still coming and when.

The tasks for this application itself (`DESK_OWN_SYSTEMS`) are done by the answer (the package
holds its data; the erasure erases it), so they never hold it up.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from requests_desk.models import (
    DataSubjectRequest,
    EventKind,
    RequestEvent,
    RequestTask,
    TaskResult,
)
from requests_desk.services.common import (
    OVERRIDE,
    request_lock,
    require_open,
    require_permission,
    timeline_add,
)


def is_own_system(task: RequestTask) -> bool:
    return task.system is not None and task.system.slug in settings.DESK_OWN_SYSTEMS


def where(task: RequestTask) -> str:
    """The system a task is about, as the requester reads it."""
    return task.system.name if task.system else task.activity.name


@dataclass(frozen=True)
class Override:
    reason: str
    still_coming_on: dt.date
    task_ids: frozenset[int]


def _tasks(request: DataSubjectRequest) -> list[RequestTask]:
    return list(request.tasks.select_related("system", "activity").order_by("pk"))


def override_current(request: DataSubjectRequest) -> Override | None:
    """The officer's latest decision to answer before every system has (one query)."""
    event = (
        RequestEvent.objects.filter(request=request, kind=EventKind.ANSWER_OVERRIDE)
        .order_by("-at", "-pk")
        .first()
    )
    if event is None or "still_coming_on" not in event.data:
        return None
    return Override(
        reason=event.text,
        still_coming_on=dt.date.fromisoformat(event.data["still_coming_on"]),
        task_ids=frozenset(event.data.get("tasks", [])),
    )


def answer_waiting_for(request: DataSubjectRequest) -> list[RequestTask]:
    """The open tasks outside this application that the officer has not let the answer pass."""
    override = override_current(request)
    allowed = override.task_ids if override else frozenset()
    return [
        task
        for task in _tasks(request)
        if not task.is_done and not is_own_system(task) and task.pk not in allowed
    ]


def require_whole_answer(request: DataSubjectRequest) -> None:
    """Refuse to answer while a system outside this application has not answered."""
    waiting = answer_waiting_for(request)
    if waiting:
        raise ValidationError(
            _(
                "Nog niet alle systemen hebben geantwoord (%(systems)s). Leg bij elke taak het "
                "resultaat vast, of laat de privacy officer eerder antwoorden met een reden."
            )
            % {"systems": ", ".join(sorted({where(t) for t in waiting}))},
            code="open_tasks",
        )


@transaction.atomic
def answer_override(
    *, request: DataSubjectRequest, reason: str, still_coming_on: dt.date, by
) -> Override:
    """Let the answer go out before every system has answered: only the privacy officer, with the
    reason and the date by which the rest follows; both are recorded and told in the letter."""
    require_permission(
        by,
        OVERRIDE,
        _("Alleen de privacy officer mag antwoorden voordat alle systemen klaar zijn."),
    )
    request = request_lock(request)
    require_open(request)
    if not reason.strip():
        raise ValidationError(_("Geef de reden."), code="reason")
    if still_coming_on is None or still_coming_on < timezone.localdate():
        raise ValidationError(
            _("Geef de datum waarop de rest volgt (vandaag of later)."), code="date"
        )
    open_ids = sorted(t.pk for t in _tasks(request) if not t.is_done and not is_own_system(t))
    if not open_ids:
        raise ValidationError(_("Alle systemen hebben al geantwoord."), code="nothing_open")
    timeline_add(
        request,
        EventKind.ANSWER_OVERRIDE,
        by,
        reason.strip(),
        still_coming_on=still_coming_on.isoformat(),
        tasks=open_ids,
    )
    return Override(reason.strip(), still_coming_on, frozenset(open_ids))


def own_tasks_done(*, request: DataSubjectRequest, by) -> None:
    """Tick off the tasks for this application itself: the answer has just done them."""
    now = timezone.now()
    for task in _tasks(request):
        if is_own_system(task) and not task.is_done:
            task.done_at, task.done_by = now, by
            task.save(update_fields=["done_at", "done_by"])
            timeline_add(request, EventKind.TASK_DONE, by, task.title, task=task.pk)


def _date(day: dt.date) -> str:
    with translation.override("nl"):
        return formats.date_format(day, "j F Y")


def task_result_line(
    task: RequestTask, *, override: Override | None, own_text: str, pending_text: str
) -> str:
    """What was done in one system, truthfully, in Dutch (for letters and the summary)."""
    with translation.override("nl"):
        if is_own_system(task):
            text = own_text
        elif not task.is_done:
            if override and task.pk in override.task_ids:
                text = pending_text % {"day": _date(override.still_coming_on)}
            else:
                text = _("nog niet klaar")
        elif task.result_kind == TaskResult.EXPORTED:
            text = _("de export van dit systeem zit in het pakket")
        elif task.result_kind == TaskResult.NOTHING_FOUND:
            text = _("geen gegevens van u gevonden")
        elif task.result_kind == TaskResult.ERASED:
            text = _("verwijderd (%(count)s records)") % {"count": task.records_count}
        else:
            text = _("uitgevoerd")
        return f"- {where(task)}: {text}"


def per_system_text(*, request: DataSubjectRequest, own_text: str, pending_text: str) -> str:
    """One line per system of the checklist (identical lines once). `own_text` says what the
    answer did here; `pending_text` (with %(day)s) what is still coming from a system."""
    override = override_current(request)
    lines = []
    for task in _tasks(request):
        line = task_result_line(
            task, override=override, own_text=own_text, pending_text=pending_text
        )
        if line not in lines:
            lines.append(line)
    return "\n".join(lines) or "-"
