"""Ledger benchmark, queue then integrate (issue 19): WRITERS processes record single events
through `consent_give` at once (each its own connection and commit, as web requests do) while one
sequencer process integrates the queue; beside a plain `bulk_create` of the same rows on the
same database (the floor). Prints events per second and the oldest queued event's age the
sequencer let build up (goal: at least 3,000 events/s, age at most 2 s). PostgreSQL only: SQLite
serialises writers. The writers and the floor run in turns (`--repeat`), each from an empty ledger
(TRUNCATE, so no run walks the dead index entries of the one before); the load average is
recorded beside the figures (the machine is shared). Last, the ceiling: WRITERS processes
committing one bare INSERT each through psycopg alone (`bare_writer`), the most that one commit
per event can reach on this machine; then the same INSERT in Django's `transaction.atomic()`
(`django_writer`), Django's own cost before any of the ledger's work.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/po_bench \
        .venv/bin/python bench/ledger_writers.py [--rows 40000] [--repeat 3]
"""

import multiprocessing
import os
import resource
import tempfile
import time

from harness import alternate, arguments, print_table, record, record_runs, setup_django
from ledger import bench_purpose, floor_events, ledger_reset

WRITERS = 8


def cpu_seconds() -> tuple[float, float | None]:
    """The CPU time (user and system) of this process, and of its database session's server
    process when the database runs on this machine (read from /proc), else None."""
    from django.db import connection

    own = resource.getrusage(resource.RUSAGE_SELF)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [pid] = cursor.fetchone()
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:  # the database is on another machine
        return own.ru_utime + own.ru_stime, None
    ticks = int(fields[11]) + int(fields[12])  # utime, stime (proc(5), after the name)
    return own.ru_utime + own.ru_stime, ticks / os.sysconf("SC_CLK_TCK")


def spent(before, after) -> tuple[float, float | None]:
    return after[0] - before[0], None if before[1] is None else after[1] - before[1]


def machine_busy() -> float:
    """Core-seconds every process on the machine has been busy since boot (/proc/stat)."""
    with open("/proc/stat") as stat:
        ticks = [int(field) for field in stat.readline().split()[1:9]]
    idle, iowait = ticks[3], ticks[4]  # user nice system idle iowait irq softirq steal
    return (sum(ticks) - idle - iowait) / os.sysconf("SC_CLK_TCK")


def writer(index: int, count: int, subject_ids: list[int], purpose_id: int, start_at, cpu) -> None:
    setup_django("ledger")
    from consents.models import ConsentPurpose, DataSubject
    from consents.services import consent_give

    purpose = ConsentPurpose.objects.get(pk=purpose_id)
    subjects = list(DataSubject.objects.filter(pk__in=subject_ids))
    start_at.wait()
    before = cpu_seconds()
    for n in range(count):
        consent_give(subject=subjects[n % len(subjects)], purpose=purpose, method="web_form")
    cpu.put(spent(before, cpu_seconds()))


def sequencer(stop, ages, start_at, cpu=None) -> None:
    """Integrate the queue until `stop`, then to the end; the oldest queued event's age seen, on
    `ages`, and its CPU seconds on `cpu` (when given). Django is set up before the clock starts
    (`start_at`, a barrier). bench/api_calls.py runs it too."""
    setup_django("ledger")
    from django.utils import timezone

    from consents.selectors import ledger_queue
    from consents.services import ledger_integrate

    ledger_queue().oldest_age(timezone.now())  # the first query, its connection, made now
    start_at.wait()
    worst, before = 0.0, cpu_seconds()
    while not stop.is_set():
        worst = max(worst, ledger_queue().oldest_age(timezone.now()))
        if ledger_integrate() == 0:
            time.sleep(0.05)  # an idle sequencer; beat's one-second tick in production
    while ledger_integrate():
        pass
    ages.put(worst)
    if cpu is not None:
        cpu.put(spent(before, cpu_seconds()))


# The ceiling of one commit per event on this machine: the queued event's row, bare.
BARE_INSERT = """
    INSERT INTO consents_consentevent (subject_id, purpose_id, action, occurred_at, recorded_at,
        method, reference, previous_hash, key_id)
    VALUES (%s, %s, 'given', now(), now(), 'web_form', '', '', '')
"""


def bare_writer(dsn: str, count: int, subject_ids, purpose_id: int, start_at, done) -> None:
    """One INSERT and one COMMIT per event through psycopg alone (no Django, no service, no
    state, no sequencer): what WRITERS processes committing single rows can reach here at all."""
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        start_at.wait()
        for n in range(count):
            with conn.transaction():
                conn.execute(BARE_INSERT, [subject_ids[n % len(subject_ids)], purpose_id])
        done.put(count)


def django_writer(dsn: str, count: int, subject_ids, purpose_id: int, start_at, done) -> None:
    """The same INSERT, each in Django's `transaction.atomic()` through its cursor: Django's own
    cost per committed event, before any of the ledger's work."""
    setup_django("ledger")
    from django.db import connection, transaction

    connection.ensure_connection()
    start_at.wait()
    for n in range(count):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(BARE_INSERT, [subject_ids[n % len(subject_ids)], purpose_id])
    done.put(count)


def bare_ceiling(context, target, rows: int, ids: list[int], purpose_id: int, repeat: int):
    """Time WRITERS processes running `target` (`bare_writer`, `django_writer`), `repeat` times,
    each from an empty ledger."""
    from django.db import connections

    processes: list = []

    def prepare() -> None:
        ledger_reset()
        connections.close_all()
        start_at, done = context.Barrier(WRITERS + 1), context.Queue()
        dsn = os.environ["DATABASE_URL"]
        processes[:] = [
            context.Process(
                target=target,
                args=(dsn, rows // WRITERS, ids[i::WRITERS], purpose_id, start_at, done),
            )
            for i in range(WRITERS)
        ]
        for proc in processes:
            proc.start()
        processes.append(done)
        start_at.wait()

    def bare() -> None:
        for _ in range(WRITERS):
            processes[-1].get(timeout=600)

    def join() -> None:
        for proc in processes[:-1]:
            proc.join()
            assert proc.exitcode == 0, "a bare writer failed"

    return alternate(bare, repeat=repeat, prepare=prepare, after=join)[0]


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--rows", type=int, default=40_000)
    args = parser.parse_args()
    rows = args.rows - args.rows % WRITERS
    os.environ.setdefault("LEDGER_STORE_ROOT", tempfile.mkdtemp(prefix="ledger-bench-store-"))
    os.environ["CONSENT_SEQUENCER_INLINE"] = "false"
    setup_django("ledger")
    from django.db import connection, connections

    from consents.models import DataSubject
    from consents.selectors import ledger_verify
    from consents.services import email_hash

    assert connection.vendor == "postgresql", "concurrent writers need PostgreSQL"
    load_before = os.getloadavg()[0]
    purpose, _version = bench_purpose()
    ledger_reset()
    DataSubject.objects.filter(email__endswith="@writers.example").delete()
    subjects = DataSubject.objects.bulk_create(
        DataSubject(email=f"w{i}@writers.example", email_hash=email_hash(f"w{i}@writers.example"))
        for i in range(WRITERS * 100)
    )
    ids = [s.pk for s in subjects]
    per_writer = rows // WRITERS
    worst_ages: list[float] = []
    # CPU seconds of each timed run: the writers' processes, their database sessions, the
    # sequencer with its session, and the whole machine (other engineers' work included).
    cpu: dict[str, list[float]] = {"writers": [], "sessions": [], "sequencer": [], "machine": []}

    def floor() -> None:
        floor_events(rows, ids, purpose)

    context = multiprocessing.get_context("spawn")
    processes: list = []

    def start_processes() -> None:
        """Reset the ledger, start the sequencer and the writers, and release the writers once
        each is set up (untimed: the run is timed from there)."""
        ledger_reset()
        connections.close_all()
        # The writers, the sequencer and this process: the clock starts when all are set up.
        start_at, stop, ages = context.Barrier(WRITERS + 2), context.Event(), context.Queue()
        writer_cpu, sequencer_cpu = context.Queue(), context.Queue()
        procs = [
            context.Process(
                target=writer,
                args=(i, per_writer, ids[i::WRITERS], purpose.pk, start_at, writer_cpu),
            )
            for i in range(WRITERS)
        ]
        seq = context.Process(target=sequencer, args=(stop, ages, start_at, sequencer_cpu))
        seq.start()
        for proc in procs:
            proc.start()
        processes[:] = [start_at, stop, ages, procs, seq, writer_cpu, sequencer_cpu]
        start_at.wait()  # every process is set up (Django, a connection): the writers go now
        processes.append(machine_busy())

    def writers() -> None:
        """From the barrier until the last writer is done and the sequencer has caught up."""
        _start_at, stop, ages, procs, seq, writer_cpu, sequencer_cpu, busy = processes
        spent_by_writers = [writer_cpu.get(timeout=600) for _ in procs]
        stop.set()
        worst_ages.append(ages.get(timeout=600))
        sequencer_own, sequencer_session = sequencer_cpu.get(timeout=600)
        cpu["machine"].append(machine_busy() - busy)
        cpu["writers"].append(sum(own for own, _session in spent_by_writers))
        if sequencer_session is not None:
            cpu["sessions"].append(sum(session for _own, session in spent_by_writers))
        cpu["sequencer"].append(sequencer_own + (sequencer_session or 0.0))

    def check() -> None:
        """After the timed run: the processes joined, and the chain whole."""
        procs, seq = processes[3], processes[4]
        for proc in [*procs, seq]:
            proc.join()
            assert proc.exitcode == 0, "a writer or the sequencer failed"
        checked, chain_break = ledger_verify()
        assert (checked, chain_break) == (rows, None), chain_break

    turns = [0]

    def prepare() -> None:
        """alternate() runs the writers, then the floor, in turns: before the writers' run the
        ledger is emptied and their processes start, waiting at the barrier (untimed); before the
        floor's only the ledger is emptied."""
        if turns[0] % 2 == 0:
            start_processes()
        else:
            ledger_reset()
        turns[0] += 1

    runs, floor_runs = alternate(writers, floor, repeat=args.repeat, prepare=prepare, after=check)
    record_runs(
        "ledger",
        f"{WRITERS} writers, {rows:,} single events, sequencer caught up (s)",
        runs,
        "bulk_create floor",
        floor_runs,
    )
    record("ledger", f"events per second, {WRITERS} writers", rows / runs.median)
    record("ledger", "oldest queued event's age, worst seen (s)", max(worst_ages))
    for name, measure in (
        ("writers", "CPU per event, the writer processes (ms)"),
        ("sessions", "CPU per event, the writers' database sessions (ms)"),
        ("sequencer", "CPU per event, the sequencer and its session (ms)"),
        ("machine", f"CPU per event, the whole machine ({os.cpu_count()} cores, others too) (ms)"),
    ):
        if cpu[name]:
            record("ledger", measure, 1000 * sum(cpu[name]) / (rows * len(cpu[name])))
    for target, label in ((bare_writer, "bare psycopg"), (django_writer, "Django atomic")):
        ceiling = bare_ceiling(context, target, rows, ids, purpose.pk, args.repeat)
        record_runs(
            "ledger",
            f"{WRITERS} {label} writers, {rows:,} single-row commits (s)",
            ceiling,
            "bulk_create floor",
            floor_runs,
        )
        record(
            "ledger",
            f"{label} single-row commits per second, {WRITERS} writers",
            rows / ceiling.median,
        )
    record("ledger", "load average (1 min) before, after", load_before, "after", os.getloadavg()[0])
    ledger_reset()
    print_table()


if __name__ == "__main__":
    main()
