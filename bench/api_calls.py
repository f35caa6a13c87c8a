"""API benchmarks (issue 17), each beside its floor in the same run, through the whole Django
stack (middleware, key, scope, throttle, call log, validation, the view) by Django's test client,
so without a network or an HTTP server in the figure:

(a) the bulk "may we contact?" for --addresses addresses (100,000) in one call, its streamed
    answer read to the end, beside the floor: one indexed `IN` query over the keyed hashes of the
    same addresses (hashed beforehand, outside the floor's time). The peak memory (tracemalloc)
    of reading the streamed answer, at a tenth of the addresses and at all of them: the answer
    is made a chunk at a time, so it should not grow (the request's own body, parsed, does).
(b) CLIENTS processes posting the batch endpoint at once (--batch events a call, an
    Idempotency-Key each), beside a plain `bulk_create` of the same number of rows.
(c) CLIENTS processes posting single events (an Idempotency-Key each), with one sequencer
    process integrating the queue as in production, beside the same `bulk_create` floor.

PostgreSQL only (SQLite serialises the writers). DEBUG is off, the throttle raised for the run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/po_bench .venv/bin/python bench/api_calls.py \
        [--addresses 100000] [--batch-rows 40000] [--batch 1000] [--single-rows 1600] [--repeat 3]
"""

import datetime as dt
import json
import multiprocessing
import os
import tempfile
import time
import tracemalloc

from harness import alternate, arguments, print_table, record, record_runs, setup_django
from ledger import bench_purpose, floor_events, ledger_reset
from ledger_writers import sequencer

CLIENTS = 8
SUBJECTS = 8_000  # the addresses the writers' events name, made beforehand


def api_environment() -> None:
    """Production's settings for the calls (DEBUG off: no query log), the throttle out of the
    way; the processes started later inherit them."""
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-" + "x" * 40)
    os.environ["ALLOWED_HOSTS"] = "localhost"
    os.environ["API_RATE_LIMIT"] = "100000000/min"
    os.environ["CONSENT_SEQUENCER_INLINE"] = "false"
    os.environ.setdefault("LEDGER_STORE_ROOT", tempfile.mkdtemp(prefix="api-bench-store-"))


def poster(key: str):
    """post(path, body, **headers) → the response, as a calling system makes the call."""
    from django.test import Client

    client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Api-Key {key}")

    def post(path: str, body, **headers):
        return client.post(
            f"/api/v1/{path}",
            json.dumps(body),
            content_type="application/json",
            secure=True,
            **headers,
        )

    return post


def writer_email(n: int) -> str:
    return f"w{n % SUBJECTS}@api-writers.example"


def event(n: int, action: str = "given") -> dict:
    return {"email": writer_email(n), "purpose": "bench", "action": action, "method": "web_form"}


def warmed_poster(key: str):
    """`poster(key)` after one call that writes nothing (a "may we contact?"), so that the
    process's first request — the URLconf, DRF, the key, the throttle's cache, the connection —
    is done before the barrier, not inside the timed window."""
    setup_django("ledger")
    post = poster(key)
    response = post("may-contact/", {"email": writer_email(0), "purpose": "bench"})
    assert response.status_code == 200, response.content
    return post


def batch_client(index, key, calls, size, start_at, done) -> None:
    post = warmed_poster(key)
    start_at.wait()
    try:
        for call in range(calls):
            first = (index * calls + call) * size
            body = {"events": [event(n) for n in range(first, first + size)]}
            response = post(
                "consents/events/batch/", body, HTTP_IDEMPOTENCY_KEY=f"b-{index}-{call}"
            )
            assert response.status_code == 201, response.content
    finally:
        done.put(index)  # the last call answered (or failed: the exit code tells)


def single_client(index, key, count, start_at, done) -> None:
    post = warmed_poster(key)
    start_at.wait()
    try:
        for n in range(index * count, (index + 1) * count):
            response = post("consents/events/", event(n), HTTP_IDEMPOTENCY_KEY=f"s-{n}")
            assert response.status_code == 201, response.content
    finally:
        done.put(index)


def bench_bulk_check(args, key, purpose) -> None:
    from django.utils import timezone

    from consents import services
    from consents.models import ConsentState, DataSubject

    ledger_reset(subjects=True)
    emails = [f"m{i}@bulk.example" for i in range(args.addresses)]
    hashes = [services.email_hash(email) for email in emails]
    DataSubject.objects.bulk_create(
        (DataSubject(email=e, email_hash=h) for e, h in zip(emails, hashes, strict=True)),
        batch_size=5000,
    )
    # Half of them consented, a quarter withdrew after consenting, a quarter never did: through
    # the batch path (`consent_events_record`, the batch endpoint's service), untimed.
    now = timezone.now()
    later = now + dt.timedelta(seconds=1)
    events = [
        services.NewEvent(
            email=e, purpose=purpose, action="given", method="web_form", occurred_at=now
        )
        for i, e in enumerate(emails)
        if i % 4 in (0, 1, 2)
    ] + [
        services.NewEvent(
            email=e, purpose=purpose, action="withdrawn", method="web_form", occurred_at=later
        )
        for i, e in enumerate(emails)
        if i % 4 == 1
    ]
    for start in range(0, len(events), 10_000):
        services.consent_events_record(events=events[start : start + 10_000])
    # The planner's statistics, as autovacuum keeps them for a table this size; right after the
    # bulk load they say "empty", and the check's join is planned as a scan of every state.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE consents_datasubject, consents_consentstate")
    expected_yes = sum(1 for i in range(args.addresses) if i % 4 in (0, 2))
    post = poster(key)

    def streamed(count: int) -> tuple[int, int]:
        response = post("may-contact/bulk/", {"purpose": "bench", "emails": emails[:count]})
        assert response.status_code == 200, response.content
        lines = yes = 0
        for chunk in response.streaming_content:
            lines += chunk.count(b"\n")
            yes += chunk.count(b'"may_contact": true')
        return lines, yes

    def measured() -> None:
        assert streamed(args.addresses) == (args.addresses, expected_yes)

    def floor() -> None:
        yes = list(
            ConsentState.objects.filter(
                purpose=purpose, status="given", subject__email_hash__in=hashes
            ).values_list("subject__email_hash", flat=True)
        )
        assert len(yes) == expected_yes

    runs, floor_runs = alternate(measured, floor, repeat=args.repeat)
    record_runs(
        "api",
        f'bulk "may we contact?", {args.addresses:,} addresses, streamed answer read (s)',
        runs,
        "one indexed IN query",
        floor_runs,
    )
    record("api", "bulk check addresses per second", args.addresses / runs.median)

    def stream_peak(count: int) -> tuple[float, float]:
        """(MB the reading of the answer adds at its peak, above what the call already holds —
        the parsed request among it —; MB at the peak of the whole call)."""
        tracemalloc.start()
        response = post("may-contact/bulk/", {"purpose": "bench", "emails": emails[:count]})
        held, call_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)
        answer_peak = tracemalloc.get_traced_memory()[1]
        call_peak = max(call_peak, answer_peak)
        tracemalloc.stop()
        assert lines == count
        return (answer_peak - held) / 2**20, call_peak / 2**20

    small, large = args.addresses // 10, args.addresses
    small_answer, small_call = stream_peak(small)
    large_answer, large_call = stream_peak(large)
    record(
        "api",
        f"peak memory reading the streamed answer, {large:,} addresses (MB)",
        large_answer,
        f"{small:,} addresses",
        small_answer,
    )
    record(
        "api",
        f"peak memory of the whole call (the request parsed), {large:,} addresses (MB)",
        large_call,
        f"{small:,} addresses",
        small_call,
    )


def bench_writers(args, key, purpose, context) -> None:
    from django.db import connections

    from api.models import IdempotentReply
    from consents.models import ConsentEvent, DataSubject
    from consents.selectors import ledger_verify
    from consents.services import email_hash

    ledger_reset(subjects=True)
    subjects = DataSubject.objects.bulk_create(
        (
            DataSubject(email=writer_email(n), email_hash=email_hash(writer_email(n)))
            for n in range(SUBJECTS)
        ),
        batch_size=5000,
    )
    ids = [s.pk for s in subjects]
    processes: list = []

    def start(kind: str, rows: int) -> None:
        ledger_reset()
        IdempotentReply.objects.all().delete()
        connections.close_all()
        # The clients, this process and (for single events) the sequencer: the clock starts
        # when every one of them has Django set up and a connection.
        start_at = context.Barrier(CLIENTS + 1 + (kind == "single"))
        done = context.Queue()
        if kind == "batch":
            calls = rows // CLIENTS // args.batch
            procs = [
                context.Process(
                    target=batch_client, args=(i, key, calls, args.batch, start_at, done)
                )
                for i in range(CLIENTS)
            ]
            extra = []
        else:
            stop, ages = context.Event(), context.Queue()
            procs = [
                context.Process(
                    target=single_client, args=(i, key, rows // CLIENTS, start_at, done)
                )
                for i in range(CLIENTS)
            ]
            extra = [context.Process(target=sequencer, args=(stop, ages, start_at)), stop, ages]
            extra[0].start()
        for proc in procs:
            proc.start()
        processes[:] = [procs, extra, done]
        start_at.wait()  # every process has Django and a connection: the calls go now

    def finish(worst: list) -> None:
        """From the barrier until every client's last call is answered and, for single events,
        the sequencer has integrated the queue."""
        procs, extra, done = processes
        for _ in procs:
            done.get(timeout=600)
        if extra:
            _seq, stop, ages = extra
            stop.set()
            worst.append(ages.get(timeout=600))

    def check(rows: int) -> None:
        """After the timed run: the processes joined, every event in one verified chain."""
        procs, extra, _done = processes
        for proc in procs + extra[:1]:
            proc.join()
            assert proc.exitcode == 0, "a client or the sequencer failed"
        checked, chain_break = ledger_verify()
        assert (checked, chain_break) == (rows, None), chain_break
        assert ConsentEvent.objects.count() == rows

    for kind, rows in (("batch", args.batch_rows), ("single", args.single_rows)):
        rows -= rows % (CLIENTS * (args.batch if kind == "batch" else 1))
        turns, worst = [0], []

        def prepare(kind=kind, rows=rows, turns=turns) -> None:
            if turns[0] % 2 == 0:
                start(kind, rows)
            else:
                ledger_reset()
            turns[0] += 1

        runs, floor_runs = alternate(
            lambda worst=worst: finish(worst),
            lambda rows=rows: floor_events(rows, ids, purpose),
            repeat=args.repeat,
            prepare=prepare,
            after=lambda rows=rows: check(rows),
        )
        what = (
            f"batch endpoint, {CLIENTS} clients, {rows:,} events in calls of {args.batch:,}"
            if kind == "batch"
            else f"single-event endpoint, {CLIENTS} clients, {rows:,} events, sequencer caught up"
        )
        record_runs("api", f"{what} (s)", runs, "bulk_create floor", floor_runs)
        record("api", f"{kind} endpoint events per second, {CLIENTS} clients", rows / runs.median)
        if worst:
            record("api", "oldest queued event's age, worst seen (s)", max(worst))


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--addresses", type=int, default=100_000)
    parser.add_argument("--batch-rows", type=int, default=40_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--single-rows", type=int, default=1_600)
    args = parser.parse_args()
    api_environment()
    setup_django("ledger")
    from django.db import connection

    from api.models import ApiClient
    from api.services import apikey_create
    from privacy_register.models import System

    assert connection.vendor == "postgresql", "concurrent clients need PostgreSQL"
    from django.core.management import call_command

    call_command("createcachetable", verbosity=0)  # the throttle's cache (CACHE_URL's default)
    load_before = os.getloadavg()[0]
    purpose, _version = bench_purpose()
    system = System.objects.first() or System.objects.create(name="Bench", slug="bench")
    client, _ = ApiClient.objects.update_or_create(
        name="Bench", defaults={"system": system, "scopes": ["consents:write", "consents:read"]}
    )
    key = apikey_create(client=client)[1]
    started = time.monotonic()
    bench_bulk_check(args, key, purpose)
    bench_writers(args, key, purpose, multiprocessing.get_context("spawn"))
    record("api", "load average (1 min) before, after", load_before, "after", os.getloadavg()[0])
    record("api", "whole benchmark (s)", time.monotonic() - started)
    ledger_reset(subjects=True)
    print_table()


if __name__ == "__main__":
    main()
