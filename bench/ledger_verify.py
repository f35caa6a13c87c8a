"""Ledger benchmark, verifying a large ledger (issue 19; goal: 1,000,000 events in at most 60 s):
`ledger_verify` — every checkpoint's signature, the keyed chain, the tree's root at each
checkpoint, consistency proofs, the head — beside reading the same rows as model instances with
nothing checked (the floor), in turns in the same run. The ledger is built first through the
batch path (`consents_record`) in large batches, so every hash and tree node is the real one,
with a signed checkpoint every `--checkpoint-every` events.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/po_bench \\
        .venv/bin/python bench/ledger_verify.py [--events 1000000] [--repeat 3]
"""

import os
import time

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


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=20_000)
    parser.add_argument("--checkpoint-every", type=int, default=250_000)
    args = parser.parse_args()
    own_ledger_store()
    setup_django("ledger")
    from consents import services
    from consents.models import ConsentEvent
    from consents.selectors import ledger_verify

    load_before = os.getloadavg()[0]
    purpose, _version = bench_purpose()
    ledger_reset(subjects=True)
    subjects = bench_subjects(args.batch, "v{}@verify.example")
    pairs = [(subject.pk, purpose.pk) for subject in subjects]
    started, written = time.perf_counter(), 0
    while written < args.events:
        chunk = pairs[: args.events - written]
        services.consents_record(pairs=chunk, action="withdrawn", method="web_form")
        written += len(chunk)
        if written % args.checkpoint_every < len(chunk) or written == args.events:
            services.ledger_checkpoint()
    record(
        "ledger",
        f"build {written:,} events through the batch path (s)",
        time.perf_counter() - started,
    )

    def verify() -> None:
        checked, chain_break = ledger_verify()
        assert (checked, chain_break) == (written, None), chain_break

    def read() -> None:
        for _event in ConsentEvent.objects.order_by("sequence").iterator(chunk_size=5000):
            pass

    verified, floor = alternate(verify, read, repeat=args.repeat)
    record_runs("ledger", f"verify {written:,} events (s)", verified, "read floor", floor)
    record("ledger", "load average (1 min) before, after", load_before, "after", os.getloadavg()[0])
    ledger_reset(subjects=True)
    print_table()


if __name__ == "__main__":
    main()
