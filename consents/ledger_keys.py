"""The ledger's two keys, both kept outside the database: the HMAC key that chains the events and
the Ed25519 key that signs the checkpoints.

Each comes from an environment variable (`CONSENT_LEDGER_KEY`, `CONSENT_CHECKPOINT_KEY`). The
embedded default — one machine, nothing configured — generates a key file under var/keys/ on first
use and says so in the log: keep that file with the backups but never in the same place as the
database, or set the variables. A key's id is a short fingerprint, stored on each event and
checkpoint, so keys can rotate: the retired keys (`CONSENT_LEDGER_RETIRED_KEYS`,
`CONSENT_CHECKPOINT_RETIRED_PUBLIC_KEYS`) still verify what they signed.
"""

import base64
import hashlib
import logging
import os
import secrets
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

logger = logging.getLogger(__name__)


def key_id(secret: bytes) -> str:
    """A fingerprint that names a key without revealing it."""
    return hashlib.sha256(b"rezulto-ledger-key-id:" + secret).hexdigest()[:12]


def ledger_key() -> tuple[str, bytes]:
    """The key new events are chained with, and its id."""
    secret = _ledger_secret(settings.CONSENT_LEDGER_KEY, str(settings.CONSENT_LEDGER_KEY_FILE))
    return key_id(secret), secret


def ledger_keys() -> dict[str, bytes]:
    """Every key an event may have been chained with, by id: the current one and the retired."""
    current_id, current = ledger_key()
    keys = {key_id(s.encode()): s.encode() for s in settings.CONSENT_LEDGER_RETIRED_KEYS if s}
    return keys | {current_id: current}


def signing_key() -> Ed25519PrivateKey:
    return _signing_key(settings.CONSENT_CHECKPOINT_KEY, str(settings.CONSENT_CHECKPOINT_KEY_FILE))


def public_key_bytes(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_pem() -> str:
    return (
        signing_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def public_keys() -> dict[str, Ed25519PublicKey]:
    """Every public key a checkpoint may have been signed with, by id."""
    current = signing_key().public_key()
    keys = {}
    for encoded in settings.CONSENT_CHECKPOINT_RETIRED_PUBLIC_KEYS:
        raw = base64.b64decode(encoded)
        keys[key_id(raw)] = Ed25519PublicKey.from_public_bytes(raw)
    return keys | {key_id(public_key_bytes(current)): current}


@lru_cache(maxsize=8)
def _ledger_secret(configured: str, file: str) -> bytes:
    if configured:
        return configured.encode()
    return _key_file(Path(file), lambda: secrets.token_hex(32).encode(), "CONSENT_LEDGER_KEY")


@lru_cache(maxsize=8)
def _signing_key(configured: str, file: str) -> Ed25519PrivateKey:
    """CONSENT_CHECKPOINT_KEY holds the 32 bytes of the private key in base64."""
    if configured:
        raw = base64.b64decode(configured)
    else:
        fresh = lambda: base64.b64encode(secrets.token_bytes(32))  # noqa: E731
        raw = base64.b64decode(_key_file(Path(file), fresh, "CONSENT_CHECKPOINT_KEY"))
    return Ed25519PrivateKey.from_private_bytes(raw)


def _key_file(path: Path, fresh, variable: str) -> bytes:
    """Read the key file, or create it (readable by its owner only) when there is none yet."""
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it at the same moment
        return path.read_bytes().strip()
    with os.fdopen(descriptor, "wb") as file:
        file.write(fresh())
    logger.warning(
        "%s is not set: generated a new key in %s. Keep it safe and apart from the database "
        "backups; without it the ledger cannot be verified.",
        variable,
        path,
    )
    return path.read_bytes().strip()
