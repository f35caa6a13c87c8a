"""Ledger benchmark: appending events through the service, and importing an opt-in list, each
beside plain bulk_create of the same rows on the same database (the floor: no hash chain, no
state, no lock — what the database alone costs).

    .venv/bin/python bench/ledger.py [--rows 100000] [--repeat 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/po_bench .venv/bin/python bench/ledger.py
"""

import os
import tempfile

from harness import alternate, arguments, print_table, record, record_runs, setup_django


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
    from django.db import connection, transaction
    from django.utils import timezone

    from consents import triggers
    from consents.exports import OptInImportResource
    from consents.ledger_hash import GENESIS
    from consents.models import ConsentEvent, ConsentPurpose, ConsentPurposeVersion, DataSubject
    from consents.services import consent_give, email_hash
    from privacy_register.models import ProcessingActivity

    def reset():
        triggers.drop(connection)
        tables = ("consentstate", "consentevent", "merklenode", "ledgercheckpoint", "ledgerhead")
        for model in tables:
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM consents_{model}")
        DataSubject.objects.all().delete()
        triggers.create(connection)
        # Without VACUUM the next run's index scans walk the dead entries of the rows deleted
        # here, and the service looks slower than it is (autocommit: VACUUM refuses a transaction).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "VACUUM")

    def floor_events(subjects, method: str) -> None:
        """The floor: `rows` ledger rows in bulk, no chain, no state, no lock, no history."""
        now = timezone.now()
        ConsentEvent.objects.bulk_create(
            (
                ConsentEvent(
                    sequence=i + 1,
                    subject=subjects[i % len(subjects)],
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
    subjects: list[DataSubject] = []

    def fresh_subjects() -> None:
        reset()
        subjects[:] = DataSubject.objects.bulk_create(
            DataSubject(email=f"s{i}@bench.example", email_hash=email_hash(f"s{i}@bench.example"))
            for i in range(min(rows, 10_000))
        )

    def floor() -> None:
        with transaction.atomic():
            floor_events(subjects, "web_form")

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
            floor_events(fresh, "import")

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
