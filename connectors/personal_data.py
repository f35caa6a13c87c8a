"""Each automatic connector as a source of personal data of its own (subject_rights collects them
through `ConnectorsConfig.personal_data_sources`), so the access package lists each connected
system with its data, and an erasure or a correction reaches each system:

- `gather` starts a Celery task per system for the request's access package and says which
  systems are still being asked (a failure becomes a task, and the package waits for its result
  like for any other task: `requests_desk.services.answer`);
- `export` hands over what the system's run fetched (and forgets that copy once the package
  holds it), or looks the person up at once when there was no run;
- on an erasure, `gather` starts the system's erasure run (a Celery task, in the system's own
  transaction, verified by a fresh lookup); the rights finish the erasure once every run is done,
  and `erase` then reports what the run kept; a failure becomes a task for a person with the
  error, and the erasure waits;
- `rectify` writes the corrections to the mapped columns at once, `restrict` starts a run per
  system that marks the rows; both recorded as the request's runs, a failure a task.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from connectors import runner
from connectors.models import Connector, ConnectorRun, Operation, RunStatus
from connectors.services import (
    automatic_connectors,
    run_data,
    run_now,
    runs_start,
)
from consents.sources import ErasurePreview, Kept, Person, Source
from requests_desk.models import DataSubjectRequest
from requests_desk.personal_data import requests_of


def _request(reference: str):
    return DataSubjectRequest.objects.filter(reference=reference).first()


def _source(connector: Connector) -> Source:
    system = connector.system
    label = _("%(system)s (gekoppeld systeem)") % {"system": system.name}

    def gather(person: Person, *, request, then: str) -> list[str]:
        # An erasure is carried out by the system's run; any other request fetches its data.
        operation = Operation.ERASE if request.kind == "erasure" else Operation.ACCESS
        runs = runs_start(request=request, operation=operation, then=then)
        mine = [r for r in runs if r.connector_id == connector.pk]
        # A failed run became a task for a person (`run_fail`): the package waits for that task's
        # result (the export the agent got from the system, or "nothing found"), like any other.
        if not mine or mine[0].status in (RunStatus.DONE, RunStatus.FAILED):
            return []
        return [system.name]

    def export(person: Person) -> dict[str, list[dict]]:
        if not person.email:
            return {}
        run = (
            ConnectorRun.objects.filter(
                connector=connector,
                operation=Operation.ACCESS,
                status=RunStatus.DONE,
                request__in=requests_of(person),
            )
            .exclude(data="")
            .order_by("-finished_at")
            .first()
        )
        if run is None:
            failed = ConnectorRun.objects.filter(
                connector=connector,
                operation=Operation.ACCESS,
                status=RunStatus.FAILED,
                request__in=requests_of(person),
            )
            if failed.exists():
                return {}  # its task's result (an uploaded export) answers for the system
            return runner.export(connector, person.email)
        tables = run_data(run)
        name, storage = run.data.name, run.data.storage
        # The fetched copy goes once the package that holds it is committed.
        transaction.on_commit(lambda: storage.delete(name))
        ConnectorRun.objects.filter(pk=run.pk).update(data="")
        return tables

    def activities(person: Person) -> set[str]:
        found = ConnectorRun.objects.filter(
            connector=connector, request__in=requests_of(person), records__gt=0
        ).exists()
        return set(system.activities.values_list("slug", flat=True)) if found else set()

    def erase(person: Person, *, by, reason: str) -> list[Kept]:
        """On a request, the system's erasure run has done the work (the rights gather it first)
        and this reports what it kept; without a request (a replay), erase here and now."""
        request = _request(reason)
        if not person.email:
            return []
        # A fetched copy not yet in a package goes too, once the erasure is committed.
        fetched = ConnectorRun.objects.filter(
            connector=connector, request__in=requests_of(person)
        ).exclude(data="")
        for run in fetched:
            name, storage = run.data.name, run.data.storage
            transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
        fetched.update(data="")
        if request is None:
            try:
                report = runner.erase(connector, person.email, today=timezone.localdate())
            except runner.ConnectorFailed:
                return [Kept(system.name, NOT_ERASED)]
            return _kept(system.name, report)
        run = ConnectorRun.objects.filter(
            request=request, connector=connector, operation=Operation.ERASE
        ).first()
        if run is None or run.status != RunStatus.DONE:
            return [Kept(system.name, NOT_ERASED)]
        return _kept(system.name, run.report)

    def rectify(person: Person, *, changes: dict, by, reason: str) -> list[str]:
        if not person.email:
            return []
        request = _request(reason)
        if request is None:
            return runner.rectify(connector, person.email, changes)
        run = run_now(
            request=request,
            connector=connector,
            operation=Operation.RECTIFY,
            by=by,
            call=lambda: runner.rectify(connector, person.email, changes),
        )
        return run.report.get("fields", []) if run.status == RunStatus.DONE else []

    def restrict(person: Person, *, by, reason: str) -> list[str]:
        """The restriction is marked in the system by a run of its own (a task per system)."""
        request = _request(reason)
        if not person.email or request is None:
            return []
        runs_start(request=request, operation=Operation.RESTRICT, by=by)
        return [system.name]

    return SystemSource(
        connector=connector,
        key=f"systeem-{system.slug}",
        label=label,
        export=export,
        activities=activities,
        erase=erase,
        rectify=rectify,
        restrict=restrict,
        gather=gather,
    )


@dataclass(frozen=True)
class SystemSource(Source):
    """A connected system: counting its rows (the erasure's confirm step) is a dry run, which
    changes nothing and leaves a fetched package copy alone."""

    connector: Connector | None = None

    def find(self, person: Person) -> int:
        return self.preview(person).rows  # a failed dry run counts 0; `preview` says why

    def preview(self, person: Person) -> ErasurePreview:
        """Per table, the rows the system holds and what erasure will do with them, from a dry
        run (a lookup that changes nothing); the error when the system cannot be asked."""
        if not person.email:
            return ErasurePreview()
        try:
            plan = runner.dry_run(self.connector, person.email)
        except runner.ConnectorFailed as error:
            return ErasurePreview(error=str(error))
        return ErasurePreview({table: entry for table, entry in plan.items() if entry.get("rows")})


NOT_ERASED = gettext_lazy(
    "nog niet gewist: de koppeling gaf een fout of is nog bezig; een medewerker rondt dit af"
)


def _kept(system: str, report: dict) -> list[Kept]:
    kept = []
    for entry in report.get("kept", []):
        what = f"{system} — {entry['table']}" + (
            f".{entry['column']}" if entry.get("column") else ""
        )
        until = entry.get("until")
        if until:
            with translation.override("nl"):
                until = formats.date_format(dt.date.fromisoformat(until), "j F Y")
        reason = entry["reason"] + (_(" (tot %(until)s)") % {"until": until} if until else "")
        kept.append(Kept(what, reason))
    return kept


def sources() -> list[Source]:
    """One source per enabled SQL or HTTP connector (a manual one stays the checklist's task)."""
    return [_source(connector) for connector in automatic_connectors()]
