"""Ledger benchmark, queue then integrate (issue 19): WRITERS processes record single events
through `consent_give` at once (each its own connection and commit, as web requests do) while one
sequencer process integrates the queue; beside a plain `bulk_create` of the same rows on the
same database (the floor). Prints events per second and the oldest queued event's age the
sequencer let build up (goal: at least 3,000 events/s, age at most 2 s). PostgreSQL only: SQLite
serialises writers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/po_bench \
        .venv/bin/python bench/ledger_writers.py
"""

import argparse
import multiprocessing
import os
import tempfile
import time

from harness import print_table, record, setup_django

WRITERS = 8


def writer(index: int, count: int, subject_ids: list[int], purpose_id: int, start_at) -> None:
    setup_django("ledger")
    from consents.models import ConsentPurpose, DataSubject
    from consents.services import consent_give

    purpose = ConsentPurpose.objects.get(pk=purpose_id)
    subjects = list(DataSubject.objects.filter(pk__in=subject_ids))
    start_at.wait()
    for n in range(count):
        consent_give(subject=subjects[n % len(subjects)], purpose=purpose, method="web_form")


def sequencer(stop, ages) -> None:
    setup_django("ledger")
    from django.utils import timezone

    from consents.selectors import ledger_queue
    from consents.services import ledger_integrate

    worst = 0.0
    while not stop.is_set():
        worst = max(worst, ledger_queue().oldest_age(timezone.now()))
        if ledger_integrate() == 0:
            time.sleep(0.05)  # an idle sequencer; beat's one-second tick in production
    while ledger_integrate():
        pass
    ages.put(worst)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=40_000)
    rows = parser.parse_args().rows
    os.environ.setdefault("LEDGER_STORE_ROOT", tempfile.mkdtemp(prefix="ledger-bench-store-"))
    os.environ["CONSENT_SEQUENCER_INLINE"] = "false"
    setup_django("ledger")
    from django.db import connection, connections, transaction
    from django.utils import timezone

    from consents import triggers
    from consents.ledger_hash import GENESIS
    from consents.models import ConsentEvent, ConsentPurpose, ConsentPurposeVersion, DataSubject
    from consents.selectors import ledger_verify
    from consents.services import email_hash
    from privacy_register.models import ProcessingActivity

    assert connection.vendor == "postgresql", "concurrent writers need PostgreSQL"

    def reset():
        triggers.drop(connection)
        for model in (
            "consentstate",
            "consentevent",
            "merklenode",
            "ledgercheckpoint",
            "ledgerhead",
        ):
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM consents_{model}")
        triggers.create(connection)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

    activity, _ = ProcessingActivity.objects.get_or_create(
        slug="bench",
        defaults={
            "name": "Bench",
            "purposes": "Bench",
            "legal_basis": "consent",
            "retention_event": "until_opt_out",
        },
    )
    purpose, _ = ConsentPurpose.objects.get_or_create(
        slug="bench",
        defaults={
            "name": "Bench",
            "activity": activity,
            "channel": "email",
            "legal_basis": "consent",
        },
    )
    ConsentPurposeVersion.objects.get_or_create(
        purpose=purpose, number=1, defaults={"wording": "Ja"}
    )
    reset()
    DataSubject.objects.filter(email__endswith="@writers.example").delete()
    subjects = DataSubject.objects.bulk_create(
        DataSubject(email=f"w{i}@writers.example", email_hash=email_hash(f"w{i}@writers.example"))
        for i in range(WRITERS * 100)
    )

    now = timezone.now()
    start = time.perf_counter()
    with transaction.atomic():
        ConsentEvent.objects.bulk_create(
            (
                ConsentEvent(
                    sequence=i + 1,
                    subject=subjects[i % len(subjects)],
                    purpose=purpose,
                    action="given",
                    occurred_at=now,
                    recorded_at=now,
                    method="web_form",
                    previous_hash=GENESIS,
                    hash=f"{i:064d}",
                )
                for i in range(rows)
            ),
            batch_size=2000,
        )
    floor = time.perf_counter() - start
    reset()
    connections.close_all()

    context = multiprocessing.get_context("spawn")
    start_at, stop, ages = context.Barrier(WRITERS + 1), context.Event(), context.Queue()
    per_writer = rows // WRITERS
    ids = [s.pk for s in subjects]
    procs = [
        context.Process(target=writer, args=(i, per_writer, ids[i::WRITERS], purpose.pk, start_at))
        for i in range(WRITERS)
    ]
    seq = context.Process(target=sequencer, args=(stop, ages))
    seq.start()
    for proc in procs:
        proc.start()
    start_at.wait()
    start = time.perf_counter()
    for proc in procs:
        proc.join()
    written = time.perf_counter() - start
    stop.set()
    worst_age = ages.get(timeout=600)
    seq.join()
    total = per_writer * WRITERS
    checked, chain_break = ledger_verify()
    assert (checked, chain_break) == (total, None), chain_break
    record(
        "ledger",
        f"{WRITERS} writers, {total:,} single events (s)",
        written,
        "bulk_create floor",
        floor * total / rows,
    )
    record("ledger", f"events per second, {WRITERS} writers", total / written)
    record("ledger", "oldest queued event's age, worst seen (s)", worst_age)
    reset()
    print_table()


if __name__ == "__main__":
    main()
