"""What the desk's request page and the register's completeness report show of the connectors."""

import datetime as dt

from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.start_page import Item, Section, section
from connectors import runner
from connectors.models import Connector, ConnectorRun, Kind, Operation, RunStatus
from connectors.services import automatic_connectors
from consents.sources import Person
from privacy_register.models import System
from privacy_register.selectors import Finding
from requests_desk.models import RequestTask
from requests_desk.workflow import WORK

FINDING_NO_CONNECTOR = "system_without_connector"
FINDING_NOT_INDEXED = "identity_not_indexed"
FINDING_DRY_RUN_FAILED = "dry_run_failed"


def panel(*, request, user) -> dict:
    """The systems' card on a request's page: each run with its state (one query); on an open
    erasure not yet carried out, what each system holds, per table, from a dry run (a query per
    connector, and one lookup in each system)."""
    runs = list(
        ConnectorRun.objects.filter(request=request)
        .select_related("connector__system")
        .order_by("operation", "connector__system__name")
    )
    previews = []
    erased = any(run.operation == Operation.ERASE for run in runs)
    if request.kind == "erasure" and request.is_open and not erased:
        email = Person.of_request(request).email
        for connector in automatic_connectors() if email else ():
            try:
                previews.append((connector.system.name, runner.dry_run(connector, email), ""))
            except runner.ConnectorFailed as error:
                previews.append((connector.system.name, {}, str(error)))
    can_retry = user.has_perm(WORK) and request.is_open
    return {"runs": runs, "previews": previews, "can_retry": can_retry}


def erasure_status(request) -> list[ConnectorRun]:
    """Each connected system's erasure run for the request (one query), in the systems' order:
    its status (waiting / done / failed), and once done what it erased, nulled and kept
    (`run.erased`, `run.nulled`, `run.kept`), or why it failed (`run.error`). An automatic
    connector without a run yet is not listed: the erasure has not been carried out there."""
    return list(
        ConnectorRun.objects.filter(request=request, operation=Operation.ERASE)
        .select_related("connector__system")
        .order_by("connector__system__name")
    )


def _kept_line(entry: dict) -> str:
    what = entry["table"] + (f".{entry['column']}" if entry.get("column") else "")
    line = ngettext(
        "%(what)s (%(n)s regel) bewaard: %(reason)s",
        "%(what)s (%(n)s regels) bewaard: %(reason)s",
        entry.get("rows", 0),
    ) % {"what": what, "n": entry.get("rows", 0), "reason": entry["reason"]}
    if entry.get("until"):
        until = formats.date_format(dt.date.fromisoformat(entry["until"]), "j F Y")
        line += _(", tot %(until)s") % {"until": until}
    return line


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{table} {n}" for table, n in sorted(counts.items()) if n)


def erasure_letter_lines(request) -> list[str]:
    """What the erasure's confirmation letter says per system, in Dutch: for each connected
    system what its run erased, nulled and kept (with the reason and end date) or that it is not
    done; for each system with a task by hand, that task and whether a person ticked it off, and
    when. Only what the runs and tasks recorded (two queries)."""
    lines, runs = [], erasure_status(request)
    with translation.override("nl"):
        for run in runs:
            name = run.connector.system.name
            if run.status != RunStatus.DONE:
                lines.append(
                    _("- %(system)s: nog niet gewist (%(status)s)")
                    % {"system": name, "status": run.get_status_display()}
                )
                continue
            parts = [
                _("verwijderd: %(n)s (%(tables)s)")
                % {"n": run.erased, "tables": _counts(run.report.get("deleted", {}))}
                if run.erased
                else _("verwijderd: 0"),
            ]
            if run.nulled:
                parts.append(
                    _("leeggemaakt: %(n)s (%(tables)s)")
                    % {"n": run.nulled, "tables": _counts(run.report.get("updated", {}))}
                )
            parts += [_kept_line(entry) for entry in run.kept]
            lines.append(f"- {name}: " + "; ".join(parts))
        connected = {run.connector.system_id for run in runs}
        tasks = (
            RequestTask.objects.filter(request=request, system__isnull=False)
            .exclude(system_id__in=connected)
            .select_related("system")
            .order_by("system__name", "pk")
        )
        by_system: dict[str, list] = {}
        for task in tasks:
            by_system.setdefault(task.system.name, []).append(task)
        for name, mine in by_system.items():
            done = [t.done_at for t in mine if t.done_at]
            if len(done) == len(mine):
                day = formats.date_format(timezone.localtime(max(done)), "j F Y")
                state = _("afgerond door een medewerker op %(day)s") % {"day": day}
            else:
                state = _("%(open)s van %(n)s nog niet afgerond door een medewerker") % {
                    "open": len(mine) - len(done),
                    "n": len(mine),
                }
            what = ngettext("%(n)s taak", "%(n)s taken", len(mine)) % {"n": len(mine)}
            lines.append(
                _("- %(system)s (met de hand, %(what)s): %(state)s")
                % {"system": name, "what": what, "state": state}
            )
    return lines


AUTOMATIC_KINDS = ("access", "portability", "erasure", "rectification")


def automatic_system_ids(*, kind: str) -> list[int]:
    """The systems whose connector carries out a request of `kind` itself (one query); a manual
    connector, or a kind the connectors do not carry out, keeps the checklist's task."""
    if kind not in AUTOMATIC_KINDS:
        return []
    return list(automatic_connectors().values_list("system_id", flat=True))


def register_findings(*, today=None) -> list[Finding]:
    """A system of an active activity without a connector; a SQL mapping whose identity column
    has no index (a lookup would scan the whole table); a connector whose last dry run failed."""
    findings = []
    systems = (
        System.objects.filter(activities__status="active")
        .distinct()
        .select_related("connector")
        .order_by("name")
    )
    for system in systems:
        connector = getattr(system, "connector", None)
        if connector is None:
            findings.append(
                Finding(
                    system.name,
                    _("Systeem zonder koppeling: verzoeken worden hier handmatig uitgevoerd"),
                    reverse("admin:connectors_connector_add") + f"?system={system.pk}",
                    "warning",
                    code=FINDING_NO_CONNECTOR,
                )
            )
    for connector in Connector.objects.filter(enabled=True).select_related("system"):
        url = reverse("admin:connectors_connector_change", args=[connector.pk])
        if connector.last_dry_run_ok is False:
            findings.append(
                Finding(
                    connector.system.name,
                    _("De laatste proefrun van de koppeling is mislukt: %(error)s")
                    % {"error": connector.last_dry_run_report.get("error", "")},
                    url,
                    code=FINDING_DRY_RUN_FAILED,
                )
            )
        if connector.kind == Kind.SQL and runner.identity_indexed(connector) is False:
            findings.append(
                Finding(
                    connector.system.name,
                    _("De identiteitskolom van de mapping heeft geen index"),
                    url,
                    "warning",
                    code=FINDING_NOT_INDEXED,
                )
            )
    return findings


def start_page_sections(*, user, now) -> list[Section]:
    """Connector runs that failed, the latest first, each linked to its request."""
    if not user.has_perm("connectors.view_connectorrun"):
        return []
    failed = (
        ConnectorRun.objects.filter(status=RunStatus.FAILED)
        .select_related("request", "connector__system")
        .order_by("-started_at", "-pk")
    )
    return [
        section(
            key="connectors",
            title=_("Mislukte koppelingen"),
            rows=failed,
            item=lambda run: Item(
                label=f"{run.connector.system} · {run.request.reference}",
                detail=_("%(operation)s mislukt: %(error)s")
                % {"operation": run.get_operation_display(), "error": run.error[:120] or "—"},
                url=reverse("desk:detail", args=[run.request.reference]),
                level="bad",
            ),
            all_url=reverse("admin:connectors_connectorrun_changelist")
            + f"?status__exact={RunStatus.FAILED}",
            all_label=_("Alle mislukte uitvoeringen"),
        )
    ]
