"""The access package (Art. 15 and 20 GDPR) as a ZIP, built from the registry of sources and the
processing register:

- `samenvatting.txt` — in Dutch: per processing activity that concerns the person, the purposes,
  legal basis, categories of data, recipients (by category and, where the register knows them, by
  name), retention, source and automated decision-making (Art. 15(1)(a)-(h): "geen" where the
  register names none), the person's rights, the complaint to the Autoriteit Persoonsgegevens and
  the right to go to court;
- `<source>.json` — everything one source holds, table by table (Art. 20: machine-readable);
- `<source>-<table>.csv` — the same, one CSV per table (one header each).
"""

import csv
import io
import json
import zipfile

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone, translation

from privacy_register.models import Controller, ProcessingActivity
from subject_rights.sources import Person, sources

SUMMARY = "samenvatting.txt"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def activities_concerning(person: Person, request=None):
    """The register's activities that hold the person's data here, plus those of the request's
    checklist tasks the agent has ticked off (looked up and exported in another system)."""
    slugs = set().union(*(source.activities(person) for source in sources()))
    query = ProcessingActivity.objects.filter(slug__in=slugs)
    if request is not None:
        query = ProcessingActivity.objects.filter(
            pk__in=list(query.values_list("pk", flat=True))
            + list(
                request.tasks.filter(done_at__isnull=False).values_list("activity_id", flat=True)
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


def build_zip(*, request, person: Person) -> bytes:
    """The package's bytes. Deterministic for the same data (fixed timestamps inside the ZIP)."""
    exported = [(source, source.export(person)) for source in sources()]
    activities = with_recipient_names(activities_concerning(person, request))
    documents = [(source, source.documents(person)) for source in sources()]
    documents = [(source, found) for source, found in documents if found]
    buffer = io.BytesIO()
    stamp = timezone.localtime().timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:

        def put(name: str, text: str) -> None:
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type = zipfile.ZIP_DEFLATED  # a bare ZipInfo would be stored as is
            archive.writestr(info, text.encode("utf-8"))

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
    return buffer.getvalue()
