"""What every benchmark shares: Django set up on a database of its own, and each figure printed
beside its baseline (a peer or the floor) with their ratio.

A benchmark script calls `setup_django()` first, `record(...)` for each figure it measures and
`print_table()` at the end; the figures are also appended to var/bench/results.jsonl, which
`make bench` (bench/all.py) prints as one table for the README's performance section.

The database is DATABASE_URL when set (PostgreSQL, say), else a fresh SQLite file under
var/bench/, never the development database.
"""

import json
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "var" / "bench" / "results.jsonl"
_rows: list["Figure"] = []


@dataclass
class Figure:
    benchmark: str  # e.g. "ledger"
    measure: str  # e.g. "append 100,000 events (s)"
    value: float
    baseline_name: str = ""  # e.g. "bulk_create floor"
    baseline: float | None = None
    database: str = ""

    @property
    def ratio(self) -> float | None:
        return self.value / self.baseline if self.baseline else None


def setup_django(name: str) -> None:
    """Point Django at the benchmark's own database, migrate it, and set Django up."""
    sqlite = ROOT / "var" / "bench" / f"{name}.sqlite3"
    if "DATABASE_URL" not in os.environ:
        sqlite.parent.mkdir(parents=True, exist_ok=True)
        for leftover in sqlite.parent.glob(f"{name}.sqlite3*"):
            leftover.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{sqlite}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def database_vendor() -> str:
    url = os.environ.get("DATABASE_URL", "sqlite")
    return url.split(":", 1)[0]


def record(benchmark: str, measure: str, value: float, baseline_name="", baseline=None) -> None:
    figure = Figure(benchmark, measure, value, baseline_name, baseline, database_vendor())
    _rows.append(figure)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("a") as out:
        out.write(json.dumps(asdict(figure)) + "\n")


def format_table(figures) -> str:
    header = ("benchmark", "db", "measure", "value", "baseline", "baseline value", "ratio")
    lines = [header]
    for f in figures:
        ratio = f.value / f.baseline if f.baseline else None
        lines.append(
            (
                f.benchmark,
                f.database,
                f.measure,
                f"{f.value:,.2f}",
                f.baseline_name or "-",
                f"{f.baseline:,.2f}" if f.baseline is not None else "-",
                f"{ratio:.2f}×" if ratio is not None else "-",
            )
        )
    widths = [max(len(str(row[i])) for row in lines) for i in range(len(header))]
    rendered = [
        " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) for row in lines
    ]
    rendered.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(rendered)


def print_table(file=sys.stdout) -> None:
    print(format_table(_rows), file=file)
