"""Export benchmark: history rows to XLSX and CSV through the export job, beside a bare streaming
writer loop over the same query (the floor) and django-import-export's plain export of the same
rows (the peer). Every measurement runs in a fresh subprocess, so its peak memory (VmHWM, the
process's peak RSS) is its own.

    .venv/bin/python bench/export.py [--rows 100000] [--repeat 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/po_bench .venv/bin/python bench/export.py

The rows are bulk-inserted straight into consents' HistoricalDataSubject: five versions per
person, each changing a field, so the job's changed-fields column has work to do. The peer
builds the whole file in memory: it is skipped above --peer-max rows (200,000 by default).
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from harness import FOLDER, Runs, arguments, print_table, record, record_runs, setup_django

LABEL = "consents.historicaldatasubject"
OUT = FOLDER / "export"


def ordered_rows():
    from consents.models import DataSubject

    return DataSubject.history.model.objects.order_by("id", "history_date", "history_id")


def generate(rows: int) -> None:
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from consents.models import DataSubject

    History = DataSubject.history.model
    History.objects.all().delete()
    user, _ = get_user_model().objects.get_or_create(
        username="bench-auditor", defaults={"first_name": "Bench", "last_name": "Auditor"}
    )
    start = timezone.now() - dt.timedelta(days=365)
    batch = []
    for n in range(rows):
        person, version = divmod(n, 5)
        batch.append(
            History(
                id=person + 1,
                email=f"leraar{person}@school.example",
                email_hash=f"{person:064x}",
                name=f"Leraar {person} v{version}",
                phone="0612345678" if version > 2 else "",
                organisation="Basisschool De Klimop",
                function=("docent", "intern begeleider")[version % 2],
                is_restricted=False,
                created_at=start,
                history_date=start + dt.timedelta(seconds=n),
                history_type="+" if version == 0 else "~",
                history_user=user if version % 2 else None,
            )
        )
        if len(batch) == 10_000:
            History.objects.bulk_create(batch)
            batch = []
    History.objects.bulk_create(batch)


def measure(variant: str, fmt: str) -> float:
    """Run in the child: one export, returning its seconds (Django's setup not counted)."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{variant}.{fmt}"
    started = time.perf_counter()
    if variant == "job":
        from django.contrib.auth import get_user_model

        from audit_exports.jobs import export_run
        from audit_exports.models import ExportJob

        user = get_user_model().objects.get(username="bench-auditor")
        job = ExportJob.objects.create(created_by=user, tables=[LABEL], format=fmt)
        started = time.perf_counter()
        export_run(job_id=job.pk)
    elif variant in ("floor", "floor-openpyxl"):
        columns = [field.attname for field in ordered_rows().model._meta.concrete_fields]
        rows = ordered_rows().values_list(*columns).iterator(2000)
        if fmt == "csv":
            import csv

            with path.open("w", newline="") as out:
                writer = csv.writer(out)
                writer.writerow(columns)
                writer.writerows(rows)
        elif variant == "floor":
            import xlsxwriter

            with xlsxwriter.Workbook(
                str(path), {"constant_memory": True, "remove_timezone": True}
            ) as book:
                sheet = book.add_worksheet()
                sheet.write_row(0, 0, columns)
                for line, row in enumerate(rows, 1):
                    sheet.write_row(line, 0, row)
        else:
            from openpyxl import Workbook

            book = Workbook(write_only=True)
            sheet = book.create_sheet()
            sheet.append(columns)
            for row in rows:
                sheet.append(
                    [
                        value.replace(tzinfo=None) if hasattr(value, "tzinfo") else value
                        for value in row
                    ]
                )
            book.save(path)
    elif variant == "peer":
        from import_export.resources import modelresource_factory

        dataset = modelresource_factory(ordered_rows().model)().export(ordered_rows())
        path.write_bytes(dataset.export(fmt) if fmt == "xlsx" else dataset.csv.encode())
    return time.perf_counter() - started


def peak_rss_mb() -> float:
    """This process's peak RSS (VmHWM). Not getrusage's ru_maxrss of a child: Linux carries the
    parent's size at fork into it, and the parent here holds the generated rows."""
    status = Path("/proc/self/status").read_text()
    return (
        int(next(line for line in status.splitlines() if line.startswith("VmHWM")).split()[1])
        / 1024
    )


def run_child(variant: str, fmt: str, rows: int) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one measurement in a fresh interpreter."""
    command = [sys.executable, __file__, "--rows", str(rows), "--child", variant, fmt]
    output = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True).stdout
    result = json.loads(output.strip().splitlines()[-1])
    return result["seconds"], result["peak_mb"]


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--peer-max", type=int, default=200_000)
    parser.add_argument("--child", nargs=2, metavar=("VARIANT", "FORMAT"))
    parser.add_argument("--only", nargs="*", help="variants to run (job floor floor-openpyxl peer)")
    args = parser.parse_args()
    if args.child:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{FOLDER / 'export.sqlite3'}")
        setup_django("export")
        seconds = measure(*args.child)
        print(json.dumps({"seconds": seconds, "peak_mb": peak_rss_mb()}))
        return
    setup_django("export")
    started = time.perf_counter()
    generate(args.rows)
    print(f"{args.rows:,} history rows generated in {time.perf_counter() - started:.0f} s")
    variants = args.only or ["job", "floor", "floor-openpyxl", "peer"]
    if args.rows > args.peer_max and "peer" in variants:
        variants.remove("peer")
        print(f"peer skipped: above {args.peer_max:,} rows it builds the whole file in memory")
    n = f"{args.rows:,} rows"
    for fmt in ("xlsx", "csv"):
        measured = [v for v in variants if not (v == "floor-openpyxl" and fmt == "csv")]
        times = {variant: [] for variant in measured}
        memory = dict.fromkeys(measured, 0.0)
        # The variants in turns, `--repeat` rounds, so that a busy machine slows them alike.
        for _ in range(args.repeat):
            for variant in measured:
                seconds, peak_mb = run_child(variant, fmt, args.rows)
                times[variant].append(seconds)
                memory[variant] = max(memory[variant], peak_mb)
                print(f"  {fmt} {variant}: {seconds:.1f} s, {peak_mb:.0f} MB")
        figures = {v: (Runs(times[v]), memory[v]) for v in measured}
        floor = figures.get("floor", (None, None))
        names = {
            "job": "export job",
            "peer": "django-import-export export (peer)",
            "floor-openpyxl": "openpyxl write-only loop",
        }
        for variant, (runs, peak) in figures.items():
            if variant == "floor":
                continue
            record_runs(
                "export",
                f"{fmt.upper()} {n}: {names[variant]} (s)",
                runs,
                "XlsxWriter/csv loop (floor)",
                floor[0],
            )
            record(
                "export",
                f"{fmt.upper()} {n}: {names[variant]} peak RSS (MB)",
                peak,
                "floor",
                floor[1],
            )
    print_table()


if __name__ == "__main__":
    main()
