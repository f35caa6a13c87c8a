#!/usr/bin/env python3
"""Check a Rezulto consent receipt offline, with the ledger's public key alone.

    python3 tools/verify_receipt.py receipt.json public-key.pem

Needs only Python 3.11+ and the `cryptography` package. The public key is published at
/privacy/grootboek/publieke-sleutel/ (and is in the receipt as `publicKey`; pass the published one
to trust the office's key rather than the receipt's). It checks, after RFC 9162:

1. the receipt's event (sequence, action, time) is the ledger entry the proof is about;
2. the entry's leaf hash, SHA-256(0x00 || entry), leads along the inclusion path to a root
   (inner nodes SHA-256(0x01 || left || right));
3. that root is the one in the checkpoint, the checkpoint names this key (its id is the first 12
   hex digits of SHA-256("rezulto-ledger-key-id:" || the raw public key)) and is signed with it
   (Ed25519).

Prints "receipt verified: …" and exits 0, or names the first check that failed and exits 1.
"""

import base64
import hashlib
import json
import sys
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_pem_public_key,
)

ORIGIN = "rezulto-consent-ledger/v1"


def node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def root_from_path(index: int, size: int, leaf: bytes, path: list[bytes]) -> bytes | None:
    """RFC 9162 §2.1.3.2."""
    if index >= size:
        return None
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node(r, p)
        fn, sn = fn >> 1, sn >> 1
    return r if sn == 0 else None


def verify(receipt: dict, public_key_pem: bytes) -> str:
    """Raises ValueError naming what does not hold; returns a summary when everything does."""
    proof = receipt["ledgerProof"]
    entry, checkpoint = proof["entry"], proof["checkpoint"]
    event = receipt["event"]
    occurred = datetime.strptime(entry["occurred_at"], "%Y-%m-%dT%H:%M:%S.%fZ")
    if (
        event["ledgerSequence"] != entry["sequence"]
        or event["action"] != entry["action"]
        or receipt["consentTimestamp"] != int(occurred.replace(tzinfo=UTC).timestamp())
        or proof["leafIndex"] != entry["sequence"] - 1
    ):
        raise ValueError("the receipt's event is not the ledger entry of the proof")
    data = json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    leaf = hashlib.sha256(b"\x00" + data).digest()
    path = [bytes.fromhex(p) for p in proof["inclusionPath"]]
    root = root_from_path(proof["leafIndex"], proof["treeSize"], leaf, path)
    if root is None or proof["treeSize"] != checkpoint["tree_size"]:
        raise ValueError("the inclusion proof does not fit the tree size")
    if root.hex() != checkpoint["root_hash"]:
        raise ValueError("the inclusion proof does not lead to the checkpoint's root")
    if checkpoint.get("origin") != ORIGIN:
        raise ValueError("the checkpoint is not of the Rezulto consent ledger")
    message = (
        f"{ORIGIN}\n{checkpoint['tree_size']}\n{checkpoint['root_hash']}\n"
        f"{checkpoint['signed_at']}\n"
    ).encode()
    public = load_pem_public_key(public_key_pem)
    raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
    if hashlib.sha256(b"rezulto-ledger-key-id:" + raw).hexdigest()[:12] != checkpoint["key_id"]:
        raise ValueError("the checkpoint names another signing key than this one")
    try:
        public.verify(
            base64.b64decode(checkpoint["signature"]), message
        )
    except (InvalidSignature, ValueError) as error:
        raise ValueError("the checkpoint's signature does not verify with this key") from error
    return (
        f"event #{entry['sequence']} ({entry['action']}) is in the ledger of "
        f"{checkpoint['tree_size']} events signed at {checkpoint['signed_at']}"
    )


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as file:
            receipt = json.load(file)
        with open(argv[2], "rb") as file:
            key = file.read()
        print(f"receipt verified: {verify(receipt, key)}")
    except (ValueError, KeyError, TypeError) as error:
        print(f"receipt NOT verified: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
