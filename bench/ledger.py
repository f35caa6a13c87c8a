"""Ledger benchmark: appending events through the service, and importing an opt-in list, each
beside plain bulk_create of the same rows on the same database (the floor: no hash chain, no
state, no lock — what the database alone costs).

    .venv/bin/python bench/ledger.py [--rows 100000] [--repeat 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/po_bench .venv/bin/python bench/ledger.py
"""

import os
import tempfile

from harness import alternate, arguments, print_table, record, record_runs, setup_django

LEDGER_TABLES = ("consentstate", "consentevent", "merklenode", "ledgercheckpoint", "ledgerhead")


def ledger_reset(*, subjects: bool = False) -> None:
    """Empty the ledger (and with `subjects` the data subjects) of the bench database, so each
    run starts from the same state. On PostgreSQL by TRUNCATE — the append-only triggers are
    dropped for it and put back — which leaves no dead rows behind: after a DELETE the next run's
    index scans (the queue, the states, the sequence's uniqueness check) would walk the dead
    entries, and the service would look slower than it is. SQLite has no TRUNCATE: DELETE and
    VACUUM there."""
    from django.db import connection

    from consents import triggers

    tables = [f"consents_{name}" for name in LEDGER_TABLES]
    if subjects:
        tables += ["consents_historicaldatasubject", "consents_datasubject"]
    triggers.drop(connection)
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # The webhook outbox's rows name no ledger row; the requests that name a subject
                # are the bench's own (none): CASCADE empties what references these tables.
                cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
            else:
                for table in tables:
                    cursor.execute(f"DELETE FROM {table}")
    finally:
        triggers.create(connection)
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")  # autocommit: VACUUM refuses a transaction


def floor_events(rows: int, subject_ids: list[int], purpose, *, version=None, method="web_form"):
    """The floor of every ledger bench: `rows` ledger rows in one bulk_create, in a transaction;
    no chain, no state, no lock, no history."""
    from django.db import transaction
    from django.utils import timezone

    from consents.ledger_hash import GENESIS
    from consents.models import ConsentEvent

    now = timezone.now()
    with transaction.atomic():
        ConsentEvent.objects.bulk_create(
            (
                ConsentEvent(
                    sequence=i + 1,
                    subject_id=subject_ids[i % len(subject_ids)],
                    purpose=purpose,
                    purpose_version=version,
                    action="given",
                    occurred_at=now,
                    recorded_at=now,
                    method=method,
                    previous_hash=GENESIS,
                    hash=f"{i:064d}",
                )
                for i in range(rows)
            ),
            batch_size=2000,
        )


def bench_purpose():
    """The bench's processing activity, purpose and wording (created once)."""
    from consents.models import ConsentPurpose, ConsentPurposeVersion
    from privacy_register.models import ProcessingActivity

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
    version, _ = ConsentPurposeVersion.objects.get_or_create(
        purpose=purpose, number=1, defaults={"wording": "Ja"}
    )
    return purpose, version


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    rows, repeat = args.rows, args.repeat
    # A store outside the database of this run's own: one of an earlier run holds checkpoints of
    # a ledger that reset() has emptied since, and the verifier rightly says so.
    os.environ.setdefault("LEDGER_STORE_ROOT", tempfile.mkdtemp(prefix="ledger-bench-store-"))
    setup_django("ledger")

    import tablib
    from django.db import transaction

    from consents.exports import OptInImportResource
    from consents.models import ConsentEvent, DataSubject
    from consents.services import consent_give, email_hash

    def reset():
        ledger_reset(subjects=True)

    purpose, version = bench_purpose()
    subjects: list[DataSubject] = []

    def fresh_subjects() -> None:
        reset()
        subjects[:] = DataSubject.objects.bulk_create(
            DataSubject(email=f"s{i}@bench.example", email_hash=email_hash(f"s{i}@bench.example"))
            for i in range(min(rows, 10_000))
        )

    def floor() -> None:
        floor_events(rows, [s.pk for s in subjects], purpose, version=version)

    def service() -> None:
        for i in range(rows):
            consent_give(subject=subjects[i % len(subjects)], purpose=purpose, method="web_form")

    appended, bulk = alternate(service, floor, repeat=repeat, prepare=fresh_subjects)
    record_runs(
        "ledger",
        f"append {rows:,} events via consent_give (s)",
        appended,
        "bulk_create floor",
        bulk,
    )
    record("ledger", "events per second via the service", rows / appended.median)

    dataset = tablib.Dataset(
        *[(f"i{i}@bench.example", f"I {i}", "bench", "2025-01-01", "bench") for i in range(rows)],
        headers=("email", "name", "purpose", "date", "source"),
    )

    def import_list() -> None:
        result = OptInImportResource().import_data(dataset, dry_run=False, use_transactions=True)
        assert not result.has_errors() and not result.has_validation_errors()

    def import_floor() -> None:
        """The subjects and events of the same rows, bulk-inserted."""
        with transaction.atomic():
            fresh = DataSubject.objects.bulk_create(
                (
                    DataSubject(
                        email=f"i{i}@bench.example", email_hash=email_hash(f"i{i}@bench.example")
                    )
                    for i in range(rows)
                ),
                batch_size=2000,
            )
            floor_events(rows, [s.pk for s in fresh], purpose, version=version, method="import")

    imported, bulk = alternate(import_list, import_floor, repeat=repeat, prepare=reset)
    record_runs(
        "ledger", f"import {rows:,}-row opt-in list (s)", imported, "bulk_create floor", bulk
    )

    # Verifying the imported ledger (keyed chain, tree, checkpoints), beside the floor: reading
    # the same rows as model instances, nothing checked.
    from consents.selectors import ledger_verify
    from consents.services import ledger_checkpoint

    reset()
    import_list()
    ledger_checkpoint()

    def verify() -> None:
        checked, chain_break = ledger_verify()
        assert (checked, chain_break) == (rows, None), chain_break

    def read() -> None:
        for _event in ConsentEvent.objects.order_by("sequence").iterator(chunk_size=5000):
            pass

    verified, read_floor = alternate(verify, read, repeat=repeat)
    record_runs("ledger", f"verify {rows:,} events (s)", verified, "read floor", read_floor)
    reset()
    print_table()


if __name__ == "__main__":
    main()
