"""Every script in bench/ still runs, at a tiny size: a benchmark is worth its figures only as long
as it measures the code as it is now (bench/sweep.py had stopped running when a column without a
database default was added). Each script runs as `make bench` runs it, in a process of its own, on
a database of its own (a SQLite file under var/bench/, or PostgreSQL when this run is on it); no
figure is checked — a timed test proves nothing on a shared machine — only that it finished and
printed its table. The scripts that need PostgreSQL run when this run is on it."""

import contextlib
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

TINY = {
    "breach_notice.py": ["--people", "200"],
    "export.py": ["--rows", "200", "--peer-max", "200"],
    "ledger.py": ["--rows", "200"],
    "ledger_batch.py": ["--rows", "400", "--batch", "200"],
    "ledger_verify.py": ["--events", "400", "--batch", "200", "--checkpoint-every", "200"],
    "rights.py": [],
    "sweep.py": ["--requests", "1000", "--subjects", "2000"],
}
POSTGRESQL = {
    "api_calls.py": ["--addresses", "500", "--batch-rows", "160", "--batch", "20"]
    + ["--single-rows", "16"],
    "ledger_writers.py": ["--rows", "80"],
}
# Not here: connectors.py (a million-row webshop of its own on PostgreSQL's server) and load.py
# (gunicorn instances and 50 clients for a minute); tests/connectors and the two-node test run
# those parts.


def test_every_script_is_listed():
    here = {p.name for p in (ROOT / "bench").glob("*.py")}
    assert here - {"all.py", "harness.py", "connectors.py", "load.py"} == set(TINY) | set(
        POSTGRESQL
    )


def test_every_script_runs_at_a_tiny_size(tmp_path):
    """Two at a time (each mostly migrates its database), every failure reported at once."""
    wanted = {**TINY, **(POSTGRESQL if ON_POSTGRESQL else {})}
    with ThreadPoolExecutor(max_workers=2) as pool:
        running = {
            name: pool.submit(run, name, options, tmp_path) for name, options in wanted.items()
        }
        finished = {name: future.result() for name, future in running.items()}
    failed = {
        name: (done.stderr or done.stdout)[-2000:]
        for name, done in finished.items()
        if done.returncode != 0 or "| " not in done.stdout  # its table of figures
    }
    assert not failed, "\n\n".join(f"== {name}\n{text}" for name, text in failed.items())


def run(name: str, options: list[str], folder: Path) -> subprocess.CompletedProcess:
    environment = {**os.environ, "BENCH_FOLDER": str(folder / name)}
    environment["MEDIA_ROOT"] = str(folder / name / "media")
    environment.pop("DATABASE_URL", None)
    with own_postgresql(name) as url:
        if url:
            environment["DATABASE_URL"] = url
        return subprocess.run(
            [sys.executable, str(ROOT / "bench" / name), "--repeat", "1", *options],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=900,
        )


@contextlib.contextmanager
def own_postgresql(name: str):
    """On PostgreSQL, a database of the script's own beside the test database, dropped after."""
    if not ON_POSTGRESQL:
        yield None
        return
    database = settings.DATABASES["default"]
    server = {k: database[k] for k in ("HOST", "PORT", "USER") if database.get(k)}
    dbname = f"bench_{name.removesuffix('.py')}_{os.getpid()}"
    with psycopg.connect(
        dbname="postgres",
        host=server.get("HOST"),
        port=server.get("PORT"),
        user=server.get("USER"),
        password=database.get("PASSWORD") or None,
        autocommit=True,
    ) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
        admin.execute(f'CREATE DATABASE "{dbname}"')
        try:
            yield (
                f"postgres://{server.get('USER', 'postgres')}@{server.get('HOST', '127.0.0.1')}:"
                f"{server.get('PORT', 5432)}/{dbname}"
            )
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
