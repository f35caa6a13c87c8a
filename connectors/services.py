"""The writes of the connectors app: the officer's edits of a connector (the mapping numbered per
version), the dry run, and the runs of the connectors for a request (one per system and operation,
carried out by a Celery task each, their outcome recorded on the run)."""

import json
import logging

from celery import current_app
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from connectors import runner
from connectors.mapping import errors_of
from connectors.models import Connector, ConnectorRun, Kind, Operation, RunStatus
from requests_desk.models import RequestTask
from requests_desk.services import request_lock

log = logging.getLogger(__name__)
RUN_TASK = "connectors.tasks.connector_run"


@transaction.atomic
def connector_save(*, connector: Connector, by) -> Connector:
    """Save the officer's edit: a SQL connector needs a valid mapping; a changed mapping gets the
    next version number (the history keeps every earlier version)."""
    if connector.kind == Kind.SQL:
        errors = errors_of(connector.mapping)
        if errors:
            raise ValidationError({"mapping": errors}, code="mapping")
    if connector.pk:
        before = Connector.objects.select_for_update().get(pk=connector.pk)
        if before.mapping != connector.mapping:
            connector.mapping_version = before.mapping_version + 1
    elif connector.mapping:
        connector.mapping_version = 1
    connector.save()
    return connector


def connector_dry_run(*, connector: Connector, email: str, by) -> dict:
    """Look the address up in the system and say, per table, what an erasure would do. Changes
    nothing there; records here whether it worked (the completeness report flags a failure)."""
    try:
        tables = runner.dry_run(connector, email)
        report = {"ok": True, "tables": tables}
    except runner.ConnectorFailed as error:
        report = {"ok": False, "error": str(error)}
    # The report holds counts only, never the address looked up.
    Connector.objects.filter(pk=connector.pk).update(
        last_dry_run_at=timezone.now(), last_dry_run_ok=report["ok"], last_dry_run_report=report
    )
    return report


# --- runs for a request ------------------------------------------------------------------------


def automatic_connectors():
    return Connector.objects.filter(enabled=True, kind__in=(Kind.SQL, Kind.HTTP)).select_related(
        "system"
    )


@transaction.atomic
def runs_start(*, request, operation: str, by=None, then: str = "") -> list[ConnectorRun]:
    """Make sure every automatic connector has a run of `operation` for the request; the new ones
    (and failed ones asked again) are handed to a worker once committed. `then` names a Celery
    task (with the request's id) to send when every run is done: the caller's, not ours to know."""
    runs = []
    for connector in automatic_connectors():
        run, created = ConnectorRun.objects.get_or_create(
            request=request,
            connector=connector,
            operation=operation,
            defaults={
                "started_by": by,
                "mapping_version": connector.mapping_version,
                "then": then,
            },
        )
        if created:
            limit = connector.timeout_seconds * 2 + 10
            transaction.on_commit(lambda run=run, limit=limit: _send(run.pk, limit))
        runs.append(run)
    return runs


def _send(run_id: int, limit: int) -> None:
    """Hand the run to a worker, with a time limit of its own (the statements inside have their
    timeout too); with no broker, carry it out here: the requester should not wait for one."""
    try:
        current_app.send_task(RUN_TASK, args=[run_id], soft_time_limit=limit, time_limit=limit + 15)
    except Exception:  # noqa: BLE001 — no broker
        log.warning("broker unreachable; running connector run %s in this process", run_id)
        run_execute(run_id=run_id, final=True)


def _email(request) -> str:
    from consents.sources import Person

    return Person.of_request(request).email


def run_execute(*, run_id: int, final: bool = True) -> ConnectorRun:
    """Carry out one run in its system (outside our transaction: the other system has its own),
    then record the outcome. A failure on the last attempt (`final`) marks the run failed and
    makes it a task for a person, with the error; earlier failures raise for the retry."""
    run = ConnectorRun.objects.select_related("connector__system", "request").get(pk=run_id)
    if run.status == RunStatus.DONE:
        return run
    email = _email(run.request)
    ConnectorRun.objects.filter(pk=run.pk).update(attempts=run.attempts + 1)
    try:
        if run.operation == Operation.ACCESS:
            tables = runner.export(run.connector, email)
            outcome = {
                "records": sum(len(rows) for rows in tables.values()),
                "report": {"tables": {name: len(rows) for name, rows in tables.items()}},
                "data": tables,
            }
        elif run.operation == Operation.ERASE:
            report = runner.erase(run.connector, email)
            count = sum(report["deleted"].values()) + sum(report["updated"].values())
            outcome = {"records": count, "report": report}
        elif run.operation == Operation.RESTRICT:
            count = runner.restrict(run.connector, email)
            outcome = {"records": count, "report": {"restricted": count}}
        else:
            raise ValueError(run.operation)
    except runner.ConnectorFailed as error:
        if not final:
            raise
        return run_fail(run=run, error=str(error))
    return run_done(run=run, **outcome)


@transaction.atomic
def run_done(*, run: ConnectorRun, records: int, report: dict, data=None) -> ConnectorRun:
    """Record what the system did. The request's row is locked first, so that the runs of one
    request finish one after the other and exactly one of them sees every run done (and calls
    `then`); a run already done (a task delivered twice) keeps its first record."""
    request_lock(run.request)
    run = ConnectorRun.objects.select_for_update().get(pk=run.pk)
    if run.status == RunStatus.DONE:
        return run
    run.status, run.records, run.report, run.error = RunStatus.DONE, records, report, ""
    run.finished_at = timezone.now()
    if data is not None:
        text = json.dumps(data, ensure_ascii=False, default=str)
        run.data.save(f"run-{run.pk}.json", ContentFile(text.encode()), save=False)
    run.save()
    others = ConnectorRun.objects.filter(request_id=run.request_id, operation=run.operation)
    if run.then and not others.exclude(status=RunStatus.DONE).exists():
        # The last system has answered: the caller's next step (the package build), by name.
        then, request_id = run.then, run.request_id
        transaction.on_commit(lambda: import_string(then)(request_id))
    return run


@transaction.atomic
def run_fail(*, run: ConnectorRun, error: str) -> ConnectorRun:
    """The run failed for good: recorded with the reason, and a task for a person so there is
    never a silent gap."""
    run = (
        ConnectorRun.objects.select_for_update().select_related("connector__system").get(pk=run.pk)
    )
    if run.status == RunStatus.DONE:
        return run  # a second delivery of the task failed after the first had done the work
    run.status, run.error, run.finished_at = RunStatus.FAILED, error[:2000], timezone.now()
    run.save()
    system = run.connector.system
    activity = system.activities.order_by("name").first()
    if activity is not None:
        title = _("Koppeling met %(system)s mislukt (%(operation)s): %(error)s") % {
            "system": system.name,
            "operation": run.get_operation_display(),
            "error": error,
        }
        RequestTask.objects.create(
            request=run.request, activity=activity, system=system, title=title[:300]
        )
    return run


@transaction.atomic
def run_retry(*, run: ConnectorRun, by) -> ConnectorRun:
    """Ask a failed run again (after a person fixed the cause)."""
    run = ConnectorRun.objects.select_for_update().select_related("connector").get(pk=run.pk)
    if run.status != RunStatus.FAILED:
        raise ValidationError(_("Alleen een mislukte koppeling kan opnieuw."), code="not_failed")
    run.status, run.error = RunStatus.WAITING, ""
    run.save()
    limit = run.connector.timeout_seconds * 2 + 10
    transaction.on_commit(lambda: _send(run.pk, limit))
    return run


def run_now(*, request, connector: Connector, operation: str, call, by) -> ConnectorRun:
    """Carry out a short operation in the system at once (a correction: the officer waits for
    it) and record it on the request's run of that operation: done with the fields `call`
    returned, or failed with the error (a task for a person). Asked again, the run records the
    latest outcome."""
    run, _created = ConnectorRun.objects.get_or_create(
        request=request,
        connector=connector,
        operation=operation,
        defaults={"started_by": by, "mapping_version": connector.mapping_version},
    )
    ConnectorRun.objects.filter(pk=run.pk).update(
        status=RunStatus.WAITING, attempts=run.attempts + 1
    )
    try:
        fields = call()
    except runner.ConnectorFailed as error:
        return run_fail(run=run, error=str(error))
    return run_done(run=run, records=len(fields), report={"fields": fields})


def run_data(run: ConnectorRun) -> dict[str, list[dict]]:
    """The rows an access run fetched (empty when it fetched nothing)."""
    if not run.data:
        return {}
    with run.data.open("rb") as handle:
        return json.loads(handle.read().decode())


def runs_forget_data(*, request) -> None:
    """Delete the fetched copies once the package holds them (Art. 5(1)(e) GDPR)."""
    for run in request.connector_runs.exclude(data=""):
        name = run.data.name
        transaction.on_commit(lambda name=name, storage=run.data.storage: storage.delete(name))
    request.connector_runs.exclude(data="").update(data="")
