"""What every benchmark shares: Django set up on a database of its own, and each figure printed
beside its baseline (a peer or the floor) with their ratio.

A benchmark script builds its arguments with `arguments()` (every script takes `--repeat`), calls
`setup_django()` first, measures with `alternate(...)` — the measured path and its floor in turns,
so that a busy machine slows both alike — records each figure with `record_runs(...)` (the
median of the runs and their spread, slowest minus fastest, shown as ± half of it) or `record(...)`
for a count, and calls `print_table()` at the end. The figures are also appended to
var/bench/results.jsonl (BENCH_FOLDER moves var/bench/), which `make bench` (bench/all.py)
prints as one table for the README.

The database is DATABASE_URL when set (PostgreSQL, say), else a fresh SQLite file under
var/bench/, never the development database. A ledger benchmark calls `own_ledger_store()` before
`setup_django()`, and builds the people it writes for with `bench_subjects(...)`.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Where the benchmarks keep their SQLite databases, files and figures (var/bench/; a test that
# runs the scripts points it elsewhere).
FOLDER = Path(os.environ.get("BENCH_FOLDER") or ROOT / "var" / "bench")
RESULTS = FOLDER / "results.jsonl"
_rows: list["Figure"] = []


@dataclass
class Figure:
    benchmark: str  # e.g. "ledger"
    measure: str  # e.g. "append 100,000 events (s)"
    value: float
    baseline_name: str = ""  # e.g. "bulk_create floor"
    baseline: float | None = None
    database: str = ""
    spread: float | None = None  # slowest run minus fastest, in the value's unit
    baseline_spread: float | None = None
    runs: int = 1

    @property
    def ratio(self) -> float | None:
        return self.value / self.baseline if self.baseline else None


def setup_django(name: str) -> None:
    """Point Django at the benchmark's own database, migrate it, and set Django up."""
    sqlite = FOLDER / f"{name}.sqlite3"
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


def own_ledger_store() -> None:
    """A store outside the database (LEDGER_STORE_ROOT) of this run's own, unless one is set: one
    of an earlier run holds checkpoints of a ledger that a reset has emptied since, and the
    verifier rightly says so. Before `setup_django()`, which reads the settings."""
    os.environ.setdefault("LEDGER_STORE_ROOT", tempfile.mkdtemp(prefix="ledger-bench-store-"))


def bench_subjects(count: int, address: str) -> list:
    """`count` data subjects in bulk, the i-th with the address `address.format(i)` (say
    "b{}@batch.example") and its keyed hash, as the services would store them; the rows, with
    their ids. After `setup_django()`."""
    from consents.models import DataSubject
    from consents.services import email_hash

    return DataSubject.objects.bulk_create(
        (
            DataSubject(email=address.format(i), email_hash=email_hash(address.format(i)))
            for i in range(count)
        ),
        batch_size=5000,
    )


def arguments(doc: str | None) -> argparse.ArgumentParser:
    """A script's argument parser, with the option every benchmark takes."""
    parser = argparse.ArgumentParser(description=doc)
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per figure, measured and floor in turns"
    )
    return parser


@dataclass
class Runs:
    """The times of repeated runs of one path, in seconds."""

    times: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def spread(self) -> float:
        return max(self.times) - min(self.times)


def alternate(
    measured: Callable[[], object],
    floor: Callable[[], object] | None = None,
    *,
    repeat: int,
    prepare: Callable[[], object] | None = None,
    after: Callable[[], object] | None = None,
) -> tuple[Runs, Runs | None]:
    """Time `measured` and `floor` in turns, `repeat` times each (measured, floor, measured, …),
    calling `prepare` untimed before every run so that each starts from the same state, and
    `after` untimed after every run of `measured` (its checks; joining its processes, whose
    interpreters take a good half second to exit, more with eight on two cores)."""
    times: dict[str, list[float]] = {"measured": [], "floor": []}
    paths = [("measured", measured)] + ([("floor", floor)] if floor else [])
    for _ in range(repeat):
        for name, path in paths:
            if prepare:
                prepare()
            started = time.perf_counter()
            path()
            times[name].append(time.perf_counter() - started)
            if after and name == "measured":
                after()
    return Runs(times["measured"]), Runs(times["floor"]) if floor else None


def record_runs(
    benchmark: str,
    measure: str,
    runs: Runs,
    baseline_name="",
    baseline: Runs | None = None,
    scale: float = 1.0,
) -> None:
    """`record` the median and spread of `runs` (times `scale`: 1000 for milliseconds)."""
    record(
        benchmark,
        measure,
        runs.median * scale,
        baseline_name,
        baseline.median * scale if baseline else None,
        spread=runs.spread * scale,
        baseline_spread=baseline.spread * scale if baseline else None,
        runs=len(runs.times),
    )


def database_vendor() -> str:
    url = os.environ.get("DATABASE_URL", "sqlite")
    return url.split(":", 1)[0]


def record(
    benchmark: str,
    measure: str,
    value: float,
    baseline_name="",
    baseline=None,
    *,
    spread: float | None = None,
    baseline_spread: float | None = None,
    runs: int = 1,
) -> None:
    figure = Figure(
        benchmark,
        measure,
        value,
        baseline_name,
        baseline,
        database_vendor(),
        spread,
        baseline_spread,
        runs,
    )
    _rows.append(figure)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("a") as out:
        out.write(json.dumps(asdict(figure)) + "\n")


def format_table(figures) -> str:
    header = (
        "benchmark",
        "db",
        "measure",
        "median",
        "baseline",
        "baseline median",
        "ratio",
        "runs",
    )
    lines = [header]

    def shown(value, spread):
        if value is None:
            return "-"
        return f"{value:,.2f}" + (f" ± {spread / 2:,.2f}" if spread else "")

    for f in figures:
        ratio = f.value / f.baseline if f.baseline else None
        lines.append(
            (
                f.benchmark,
                f.database,
                f.measure,
                shown(f.value, f.spread),
                f.baseline_name or "-",
                shown(f.baseline, f.baseline_spread),
                f"{ratio:.2f}×" if ratio is not None else "-",
                str(f.runs),
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
