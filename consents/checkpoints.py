"""Signed checkpoints of the ledger's Merkle tree: what is signed, how, and how it is checked.
No database. `tools/verify_receipt.py` repeats `message()` and the check, with the public key
alone."""

import base64
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ORIGIN = "rezulto-consent-ledger/v1"


def timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def message(*, tree_size: int, root_hash: str, signed_at: str) -> bytes:
    """The signed text: the log's name, the tree size, the root (hex) and the time (UTC)."""
    return f"{ORIGIN}\n{tree_size}\n{root_hash}\n{signed_at}\n".encode()


def sign(*, tree_size: int, root_hash: str, signed_at: datetime, key: Ed25519PrivateKey) -> str:
    text = message(tree_size=tree_size, root_hash=root_hash, signed_at=timestamp(signed_at))
    return base64.b64encode(key.sign(text)).decode()


def payload(*, tree_size, root_hash, signed_at, key_id, signature) -> dict:
    """A checkpoint as it is stored outside the database and put in a receipt."""
    return {
        "origin": ORIGIN,
        "tree_size": tree_size,
        "root_hash": root_hash,
        "signed_at": timestamp(signed_at) if isinstance(signed_at, datetime) else signed_at,
        "key_id": key_id,
        "signature": signature,
    }


def is_signed(checkpoint: dict, public_keys: dict[str, Ed25519PublicKey]) -> bool:
    """Is this checkpoint signed by one of the ledger's keys, exactly as it reads?"""
    public = public_keys.get(checkpoint.get("key_id", ""))
    if public is None:
        return False
    text = message(
        tree_size=checkpoint["tree_size"],
        root_hash=checkpoint["root_hash"],
        signed_at=checkpoint["signed_at"],
    )
    try:
        public.verify(base64.b64decode(checkpoint["signature"]), text)
    except (InvalidSignature, ValueError):
        return False
    return True
