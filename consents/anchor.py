"""The ledger's append-only store outside the database, through Django's storage API (the
`ledger` storage in settings.STORAGES): every signed checkpoint is written there, one object per
entry, never overwritten — an object store cannot append to an object, but with object lock it
keeps each one. A database administrator who rewrites the ledger cannot reach this store; the
verifier compares the database with it."""

import json

from django.core.files.base import ContentFile
from django.core.files.storage import storages

CHECKPOINTS = "checkpoints"


def store():
    return storages["ledger"]


def checkpoint_write(checkpoint: dict) -> str:
    """Write a checkpoint; a name already there is left as it is (the store never changes)."""
    moment = checkpoint["signed_at"].replace("-", "").replace(":", "")
    name = f"{CHECKPOINTS}/{checkpoint['tree_size']:012d}-{moment}.json"
    storage = store()
    if not storage.exists(name):
        storage.save(name, ContentFile(json.dumps(checkpoint, sort_keys=True).encode()))
    return name


def checkpoints_read() -> list[dict]:
    """Every checkpoint in the store, oldest (smallest tree) first."""
    storage = store()
    try:
        _, files = storage.listdir(CHECKPOINTS)
    except FileNotFoundError:
        return []
    found = []
    for name in sorted(f for f in files if f.endswith(".json")):
        with storage.open(f"{CHECKPOINTS}/{name}") as file:
            found.append(json.loads(file.read()))
    return found


def newest_checkpoint() -> dict | None:
    storage = store()
    try:
        _, files = storage.listdir(CHECKPOINTS)
    except FileNotFoundError:
        return None
    files = sorted(f for f in files if f.endswith(".json"))
    if not files:
        return None
    with storage.open(f"{CHECKPOINTS}/{files[-1]}") as file:
        return json.loads(file.read())


ERASURES = "erasures"


def erasure_write(*, email_hash: str, erased_at: str) -> str:
    """Record an erasure outside the database — the keyed hash of the address and the time, no
    personal data — so that a database restored from an older backup can erase the person again
    (`manage.py replay_erasures`, run by ops/restore.sh)."""
    moment = erased_at.replace("-", "").replace(":", "")
    name = f"{ERASURES}/{moment}-{email_hash[:16]}.json"
    storage = store()
    if not storage.exists(name):
        body = {"email_hash": email_hash, "erased_at": erased_at}
        storage.save(name, ContentFile(json.dumps(body, sort_keys=True).encode()))
    return name


def erasures_read() -> list[dict]:
    """Every erasure in the store, oldest first."""
    storage = store()
    try:
        _, files = storage.listdir(ERASURES)
    except FileNotFoundError:
        return []
    found = []
    for name in sorted(f for f in files if f.endswith(".json")):
        with storage.open(f"{ERASURES}/{name}") as file:
            found.append(json.loads(file.read()))
    return found
