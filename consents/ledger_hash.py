"""The hash chain of the consent ledger: pure functions, no database.

Each event's hash is SHA-256 over a canonical serialisation of its own content and the previous
event's hash, so changing, inserting or removing any event breaks every hash after it.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

GENESIS = "0" * 64


@dataclass(frozen=True)
class EventContent:
    sequence: int
    subject_id: int
    purpose_id: int
    purpose_version_id: int | None
    action: str
    occurred_at: datetime
    recorded_at: datetime
    method: str
    recorded_by_id: int | None
    reference: str


def canonical(content: EventContent, previous_hash: str) -> bytes:
    """Sorted keys, UTC ISO timestamps with microseconds, no whitespace: one byte string per
    event, whatever the database or the Python version."""
    fields = {
        **content.__dict__,
        "occurred_at": _utc(content.occurred_at),
        "recorded_at": _utc(content.recorded_at),
        "previous_hash": previous_hash,
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def event_hash(content: EventContent, previous_hash: str) -> str:
    return hashlib.sha256(canonical(content, previous_hash)).hexdigest()


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
