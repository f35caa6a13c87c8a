"""Ledger benchmark, the batch path (issue 19): `consents_record` — number, chain, tree, insert,
states, in a few statements per batch — with the keyed chain and the Merkle tree, beside the same
batch path with those steps as they were before issue 19 (the floor, reconstructed here: an
unkeyed SHA-256 chain whose head is read from the last event, no tree, no head row), in turns in
the same run. Goal: at most 1.2× the floor.

    .venv/bin/python bench/ledger_batch.py [--rows 100000] [--batch 10000] [--repeat 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/po_bench .venv/bin/python bench/ledger_batch.py
"""

import hashlib
import json
import os

from harness import (
    alternate,
    arguments,
    bench_subjects,
    own_ledger_store,
    print_table,
    record,
    record_runs,
    setup_django,
)
from ledger import bench_purpose, ledger_reset


def number_before(events) -> None:
    """The batch path's numbering before issue 19 (consents.services._chain at 8e1fb7b^): the
    head read from the last event, each hash SHA-256 over the canonical content and the previous
    hash, no key, no tree."""
    from consents.ledger_hash import GENESIS, entry
    from consents.models import ConsentEvent

    head = (
        ConsentEvent.objects.filter(sequence__isnull=False)
        .order_by("-sequence")
        .values_list("sequence", "hash")
        .first()
    )
    sequence, previous = head or (0, GENESIS)
    for event in events:
        sequence += 1
        event.sequence, event.previous_hash = sequence, previous
        fields = entry(event.content(), previous, "")
        del fields["key_id"]
        data = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
        event.hash = previous = hashlib.sha256(data).hexdigest()


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=10_000)
    args = parser.parse_args()
    own_ledger_store()
    setup_django("ledger")
    from consents import services
    from consents.selectors import ledger_verify

    load_before = os.getloadavg()[0]
    purpose, _version = bench_purpose()
    ledger_reset(subjects=True)
    subjects = bench_subjects(args.batch, "b{}@batch.example")
    pairs = [(subject.pk, purpose.pk) for subject in subjects]
    keyed_number = services._number

    def batches() -> None:
        for _ in range(args.rows // args.batch):
            services.consents_record(pairs=pairs, action="withdrawn", method="web_form")

    def keyed() -> None:
        batches()

    def before() -> None:
        services._number = number_before
        try:
            batches()
        finally:
            services._number = keyed_number

    runs, floor = alternate(keyed, before, repeat=args.repeat, prepare=ledger_reset)
    rows = args.rows // args.batch * args.batch
    record_runs(
        "ledger",
        f"batch path, {rows:,} events in batches of {args.batch:,}, keys and tree (s)",
        runs,
        "the batch path before issue 19",
        floor,
    )
    record("ledger", "batch path events per second, keys and tree", rows / runs.median)
    # The last run was the floor's: run the keyed path once more and check what it wrote.
    ledger_reset()
    batches()
    checked, chain_break = ledger_verify()
    assert (checked, chain_break) == (rows, None), chain_break
    record("ledger", "load average (1 min) before, after", load_before, "after", os.getloadavg()[0])
    ledger_reset(subjects=True)
    print_table()


if __name__ == "__main__":
    main()
