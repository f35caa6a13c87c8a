"""The access package (Art. 15 and 20 GDPR) as a ZIP, built from the registry of sources and the
processing register:

- `samenvatting.txt` — in Dutch: per processing activity that concerns the person, the purposes,
  legal basis, categories of data, recipients (by category and, where the register knows them, by
  name), retention, source and automated decision-making (Art. 15(1)(a)-(h): "geen" where the
  register names none), the person's rights, the complaint to the Autoriteit Persoonsgegevens and
  the right to go to court;
- `<source>.json` — everything one source holds, table by table (Art. 20: machine-readable);
- `<source>-<table>.csv` — the same, one CSV per table (one header each);
- `<system>/<file>` — the export a system outside this application produced, uploaded on the
  request's task (`RequestTask.result_file`), under the system's name.
"""

import csv
import io
import json
import zipfile

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify

from privacy_register.models import Controller, ProcessingActivity
from requests_desk.models import RequestTask, TaskResult
from requests_desk.services.answer import override_current, task_result_line, where
from subject_rights.sources import Person, sources

SUMMARY = "samenvatting.txt"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def activities_concerning(person: Person, request=None):
    """The register's activities that hold the person's data here, plus those of the request's
    checklist tasks the agent has ticked off (looked up and exported in another system), unless
    that system found nothing."""
    slugs = set().union(*(source.activities(person) for source in sources()))
    query = ProcessingActivity.objects.filter(slug__in=slugs)
    if request is not None:
        query = ProcessingActivity.objects.filter(
            pk__in=list(query.values_list("pk", flat=True))
            + list(
                request.tasks.filter(done_at__isnull=False)
                .exclude(result_kind=TaskResult.NOTHING_FOUND)
                .values_list("activity_id", flat=True)
            )
        )
    return query.prefetch_related(
        "personal_data_categories",
        "recipient_categories",
        "processors",
        "transfers",
        "systems__processor",
    ).order_by("name")


def with_recipient_names(activities) -> list:
    """The activities, each with `recipient_names`: the recipients the register knows by name —
    its processors, the processors that run its systems, the recipients of its transfers — not
    only their categories (Art. 15(1)(c) GDPR; CJEU C-154/21)."""
    listed = list(activities)
    for activity in listed:
        names = [p.name for p in activity.processors.all()]
        names += [s.processor.name for s in activity.systems.all() if s.processor is not None]
        names += [t.recipient for t in activity.transfers.all() if t.recipient]
        activity.recipient_names = sorted(set(names), key=str.lower)
    return listed


def _csv_cell(value) -> str:
    text = "" if value is None else str(value)
    # A spreadsheet would run a cell starting with = + - @ as a formula: neutralise it.
    return "'" + text if text.startswith(FORMULA_START) else text


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_cell(v) for k, v in row.items()})
    return out.getvalue()


OWN_TEXT = "de gegevens uit deze applicatie staan in dit pakket"
PENDING_TEXT = "nog niet klaar; u ontvangt dit uiterlijk %(day)s"


def system_exports(request) -> list[tuple[str, RequestTask | None, str]]:
    """(line for the summary, the task, the path in the ZIP or "") per task of the checklist."""
    override = override_current(request)
    rows = []
    tasks = RequestTask.objects.filter(request=request).select_related("system", "activity")
    for task in tasks.order_by("pk"):
        line = task_result_line(
            task, override=override, own_text=OWN_TEXT, pending_text=PENDING_TEXT
        )
        path = ""
        if task.result_file:
            filename = task.result_file.name.rsplit("/", 1)[-1]
            path = f"{slugify(where(task)) or 'systeem'}/{filename}"
        if path or all(line != known for known, _task, _path in rows):
            rows.append((line, task, path))
    return rows


def build_zip(*, request, person: Person) -> bytes:
    """The package's bytes. Deterministic for the same data (fixed timestamps inside the ZIP)."""
    exported = [(source, source.export(person)) for source in sources()]
    activities = with_recipient_names(activities_concerning(person, request))
    documents = [(source, source.documents(person)) for source in sources()]
    documents = [(source, found) for source, found in documents if found]
    systems = system_exports(request)
    buffer = io.BytesIO()
    stamp = timezone.localtime().timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:

        def put(name: str, content: str | bytes) -> None:
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type = zipfile.ZIP_DEFLATED  # a bare ZipInfo would be stored as is
            archive.writestr(info, content.encode("utf-8") if isinstance(content, str) else content)

        with translation.override("nl"):
            put(
                SUMMARY,
                render_to_string(
                    "subject_rights/samenvatting.txt",
                    {
                        "controller": Controller.objects.first(),
                        "request": request,
                        "activities": activities,
                        "automated": any(a.automated_decisions.strip() for a in activities),
                        "exported": [(s, tables) for s, tables in exported if tables],
                        "documents": documents,
                        "systems": systems,
                        "now": timezone.localtime(),
                    },
                ),
            )
            for source, tables in exported:
                if not tables:
                    continue
                document = {"bron": str(source.label), "tabellen": tables}
                put(
                    f"{source.key}.json",
                    json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
                )
                for table, rows in tables.items():
                    if rows:
                        put(f"{source.key}-{table}.csv", _csv(rows))
            for source, found in documents:
                for name, document in found.items():
                    put(
                        f"{source.key}-bewijzen/{name}",
                        json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
                    )
            for _line, task, path in systems:
                if path:
                    with task.result_file.open("rb") as file:
                        put(path, file.read())
    return buffer.getvalue()
