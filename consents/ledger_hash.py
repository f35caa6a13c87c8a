"""The keyed hash chain of the consent ledger: pure functions, no database.

Each event's hash is an HMAC-SHA256, under the ledger key (kept outside the database, see
`ledger_keys.py`), over a canonical serialisation of its own content, the id of the key and the
previous event's hash. Changing, inserting or removing any event breaks every hash after it, and
without the key nobody — a database administrator included — can compute a hash that verifies,
so a forged append or a re-chain from any point is detected too.

The same canonical bytes are the event's leaf in the Merkle tree (`merkle.py`): a receipt carries
them, and anyone can recompute the leaf without the key.
"""

import hashlib
import hmac
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


def entry(content: EventContent, previous_hash: str, key_id: str) -> dict:
    """The event as a receipt shows it: its content, the key's id and the previous hash."""
    return {
        **content.__dict__,
        "occurred_at": _utc(content.occurred_at),
        "recorded_at": _utc(content.recorded_at),
        "previous_hash": previous_hash,
        "key_id": key_id,
    }


def entry_bytes(fields: dict) -> bytes:
    """Sorted keys, no whitespace, UTF-8: one byte string per event, whatever the database or the
    Python version. `tools/verify_receipt.py` does exactly this."""
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def canonical(content: EventContent, previous_hash: str, key_id: str) -> bytes:
    return entry_bytes(entry(content, previous_hash, key_id))


def keyed_hash(data: bytes, key: bytes) -> str:
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def event_hash(content: EventContent, previous_hash: str, *, key: bytes, key_id: str) -> str:
    return keyed_hash(canonical(content, previous_hash, key_id), key)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
