"""Reads of the consent ledger."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from consents.ledger_hash import GENESIS
from consents.models import Action, ConsentEvent, ConsentState, DataSubject
from consents.phones import normalise_phone
from consents.services import email_hash, normalise_email


def contactable_states(*, purpose):
    """The states that let us contact a person for `purpose`: "given", the processing not
    restricted (Art. 18), the person not erased, and their phone number not opted out by phone
    since — a caller's opt-out needs no address and no identity check (LEGAL.md §4), so it is
    kept on the number (consents.phones) and holds for everyone known by that number until a
    later consent. One query, on the state's and the number's indexes."""
    opted_out_by_number = ConsentState.objects.filter(
        purpose=OuterRef("purpose"),
        subject__phone_e164=OuterRef("subject__phone_e164"),
        since__gt=OuterRef("since"),
    ).exclude(status=Action.GIVEN)
    return (
        ConsentState.objects.filter(
            purpose=purpose,
            status=Action.GIVEN,
            subject__is_restricted=False,
            subject__erased_at__isnull=True,
        )
        .annotate(number_opted_out=Exists(opted_out_by_number))
        .filter(Q(subject__phone_e164="") | Q(number_opted_out=False))
    )


def may_contact(
    *, purpose, subject=None, email: str | None = None, phone: str | None = None
) -> bool:
    """May we contact this person (or call this number) for this purpose? Yes only when their
    current state is "given", their processing is not restricted (Art. 18), they were not erased
    and their number was not opted out by phone since (`contactable_states`)."""
    states = contactable_states(purpose=purpose)
    if subject is not None:
        states = states.filter(subject=subject)
    elif phone is not None:
        e164 = normalise_phone(phone)
        if not e164:
            return False
        states = states.filter(subject__phone_e164=e164)
    else:
        states = states.filter(subject__email=normalise_email(email or ""))
    return states.exists()


@dataclass(frozen=True)
class ChainBreak:
    """The first place where the ledger is not what was written."""

    kind: str  # "altered", "inserted", "removed", "truncated" or "checkpoint"
    sequence: int
    detail: str

    def __str__(self):
        if self.kind in ("truncated", "checkpoint"):
            return f"{self.kind}: {self.detail}"
        return f"{self.kind}: event #{self.sequence}: {self.detail}"


def _when(checkpoint: dict) -> str:
    return f"{checkpoint['signed_at']} ({checkpoint['tree_size']} events)"


def ledger_verify(*, chunk_size: int = 5000) -> tuple[int, ChainBreak | None]:
    """Check the whole ledger, as an auditor who trusts nothing in the database would. Returns
    how many events were checked and the first break found:

    - every checkpoint, in the database and the newest one in the store outside it, must carry a
      valid signature of the ledger's key, and the two copies must agree (a replaced checkpoint);
    - walking the chain in order: a gap in the sequence (an event removed), an event whose
      previous hash is not the hash of the event before it (an event inserted), an event whose
      content, under the key its id names, no longer gives its keyed hash (an event altered, a
      forged append, a re-chain with recomputed hashes — without the key nobody computes one
      that verifies);
    - at each checkpoint's size, the tree's root must be the signed root;
    - a ledger shorter than a checkpoint, or than its own head, lost its tail (truncated);
    - consecutive checkpoints must be consistent (RFC 9162 consistency proofs from the tree's
      stored nodes, from which the receipts' proofs are built).
    """
    from consents import anchor, merkle
    from consents.checkpoints import is_signed
    from consents.ledger_hash import canonical, keyed_hash
    from consents.ledger_keys import ledger_keys, public_keys
    from consents.models import LedgerCheckpoint, LedgerHead, MerkleNode

    keys, publics = ledger_keys(), public_keys()
    stored = [c.payload() for c in LedgerCheckpoint.objects.order_by("tree_size", "signed_at")]
    for checkpoint in stored:
        if not is_signed(checkpoint, publics):
            return 0, ChainBreak(
                "checkpoint",
                checkpoint["tree_size"],
                f"the checkpoint of {_when(checkpoint)} in the database is not signed by the "
                "ledger's key: it was replaced or altered",
            )
    external = anchor.newest_checkpoint()
    if external is not None:
        if not is_signed(external, publics):
            return 0, ChainBreak(
                "checkpoint",
                external["tree_size"],
                f"the newest checkpoint in the store outside the database, {_when(external)}, "
                "is not signed by the ledger's key",
            )
        twin = [c for c in stored if c["signed_at"] == external["signed_at"]]
        if stored and twin != [external]:
            return 0, ChainBreak(
                "checkpoint",
                external["tree_size"],
                f"the checkpoint of {_when(external)} outside the database is missing from the "
                "database or differs there: it was replaced or removed",
            )
    targets: dict[int, list[dict]] = {}
    for checkpoint in [*stored, *([external] if external else [])]:
        targets.setdefault(checkpoint["tree_size"], []).append(checkpoint)
    for checkpoint in targets.pop(0, []):
        if checkpoint["root_hash"] != merkle.EMPTY_ROOT.hex():
            return 0, ChainBreak("checkpoint", 0, f"the checkpoint of {_when(checkpoint)} is wrong")

    tree, leaves = merkle.CompactRange(), bytearray()
    expected_sequence, previous_hash, checked = 1, GENESIS, 0
    # Only integrated events are in the chain; the queued ones wait for the sequencer and are not
    # proven yet (`ledger_queue`).
    events = (
        ConsentEvent.objects.filter(sequence__isnull=False)
        .order_by("sequence")
        .iterator(chunk_size=chunk_size)
    )
    for event in events:
        if event.sequence != expected_sequence:
            return checked, ChainBreak(
                "removed",
                expected_sequence,
                f"missing (the chain jumps from #{expected_sequence - 1} to #{event.sequence})",
            )
        if event.previous_hash != previous_hash:
            return checked, ChainBreak(
                "inserted", event.sequence, "does not chain to the event before it"
            )
        key = keys.get(event.key_id)
        if key is None:
            return checked, ChainBreak(
                "altered", event.sequence, f"chained with an unknown key ({event.key_id!r})"
            )
        data = canonical(event.content(), event.previous_hash, event.key_id)
        if keyed_hash(data, key) != event.hash:
            return checked, ChainBreak(
                "altered",
                event.sequence,
                "its content no longer matches its keyed hash (changed, forged or re-chained "
                "without the ledger key)",
            )
        leaf = merkle.leaf_hash(data)
        leaves += leaf
        tree.append(leaf)
        for checkpoint in targets.get(tree.size, ()):
            if tree.root().hex() != checkpoint["root_hash"]:
                return checked, ChainBreak(
                    "checkpoint",
                    event.sequence,
                    f"the first {tree.size} events do not give the root signed in the checkpoint "
                    f"of {_when(checkpoint)}",
                )
        expected_sequence, previous_hash, checked = event.sequence + 1, event.hash, checked + 1

    longest = max(targets.values(), key=lambda c: c[0]["tree_size"], default=[None])[0]
    if longest is not None and longest["tree_size"] > checked:
        return checked, ChainBreak(
            "truncated",
            checked + 1,
            f"the ledger is shorter than the checkpoint of {_when(longest)}: it holds "
            f"{checked} events, so #{checked + 1} to #{longest['tree_size']} were removed",
        )
    head = LedgerHead.objects.filter(pk=1).first()
    if head is not None and (head.tree_size, head.last_hash) != (checked, previous_hash):
        return checked, ChainBreak(
            "truncated",
            checked + 1,
            f"the ledger's head records {head.tree_size} events, the chain has {checked}: "
            "events were removed from the end or the head was changed",
        )

    nodes = {(n.level, n.index): bytes.fromhex(n.hash) for n in MerkleNode.objects.all()}

    def subtree(level: int, index: int) -> bytes:
        if level >= merkle.STORED_LEVEL:
            return nodes.get((level, index), b"")
        start, end = index << level, (index + 1) << level
        return merkle.range_hash_of_leaves(
            [bytes(leaves[i * 32 : i * 32 + 32]) for i in range(start, end)]
        )

    sizes = sorted({c["tree_size"] for c in [*stored, *([external] if external else [])]})
    roots = {c["tree_size"]: bytes.fromhex(c["root_hash"]) for cs in targets.values() for c in cs}
    for first, second in zip(sizes, sizes[1:], strict=False):
        if first == 0:
            continue
        proof = merkle.consistency_proof(first, second, subtree)
        if not merkle.verify_consistency(first, second, roots[first], roots[second], proof):
            return checked, ChainBreak(
                "checkpoint",
                second,
                f"the tree's stored nodes do not prove the checkpoint of {second} events "
                f"consistent with the one of {first}: the tree was changed",
            )
    return checked, None


@dataclass(frozen=True)
class LedgerQueue:
    """The events recorded but not yet integrated by the sequencer."""

    waiting: int
    oldest_recorded_at: object  # datetime | None

    def oldest_age(self, now) -> float:
        """Seconds the oldest has waited (0 when none waits); the goal is under two."""
        if self.oldest_recorded_at is None:
            return 0.0
        return max(0.0, (now - self.oldest_recorded_at).total_seconds())


def ledger_queue() -> LedgerQueue:
    """How many events wait for the sequencer and since when: one query on a partial index."""
    from django.db.models import Count, Min

    found = ConsentEvent.objects.filter(sequence__isnull=True).aggregate(
        waiting=Count("pk"), oldest=Min("recorded_at")
    )
    return LedgerQueue(waiting=found["waiting"], oldest_recorded_at=found["oldest"])


def ledger_inclusion(event: ConsentEvent) -> dict | None:
    """The event's proof of inclusion (RFC 9162 §2.1.3) against the newest signed checkpoint
    that covers it — signed now when none does yet: the event's ledger entry, its leaf index, the
    audit path and the checkpoint. `tools/verify_receipt.py` checks it with the public key alone.
    A few queries: the checkpoint, the stored subtrees on the path, and the events of the leaf's
    256-event block. None for an event still queued: it is not proven until integrated."""
    from consents import merkle
    from consents.ledger_hash import canonical, entry
    from consents.models import LedgerCheckpoint, MerkleNode
    from consents.services import ledger_checkpoint

    if event.sequence is None:
        return None
    checkpoint = (
        LedgerCheckpoint.objects.filter(tree_size__gte=event.sequence)
        .order_by("-tree_size", "-signed_at")
        .first()
    ) or ledger_checkpoint()
    size, blocks = checkpoint.tree_size, {}

    def leaves_of_block(block: int) -> list[bytes]:
        if block not in blocks:
            first = block << merkle.STORED_LEVEL
            rows = ConsentEvent.objects.filter(
                sequence__gt=first, sequence__lte=min(first + (1 << merkle.STORED_LEVEL), size)
            ).order_by("sequence")
            blocks[block] = [
                merkle.leaf_hash(canonical(e.content(), e.previous_hash, e.key_id)) for e in rows
            ]
        return blocks[block]

    def subtree(level: int, index: int) -> bytes:
        if level >= merkle.STORED_LEVEL:
            return bytes.fromhex(MerkleNode.objects.get(level=level, index=index).hash)
        start = index << level
        block, offset = divmod(start, 1 << merkle.STORED_LEVEL)
        leaves = leaves_of_block(block)[offset : offset + (1 << level)]
        return merkle.range_hash_of_leaves(leaves)

    path = merkle.inclusion_proof(event.sequence - 1, size, subtree)
    return {
        "entry": entry(event.content(), event.previous_hash, event.key_id),
        "leafIndex": event.sequence - 1,
        "treeSize": size,
        "inclusionPath": [node.hex() for node in path],
        "checkpoint": checkpoint.payload(),
    }


def subjects_named_by(*, emails: list[str], phones: list[str]):
    """The (not erased) subjects with one of these e-mail addresses (by keyed hash) or phone
    numbers (by their E.164 form, `consents.phones`): whom an opt-out that names them concerns.
    Two indexed queries at most, whatever the number of subjects."""
    found = {}
    hashes = [email_hash(e) for e in emails if e]
    if hashes:
        for subject in DataSubject.objects.filter(email_hash__in=hashes, erased_at__isnull=True):
            found[subject.pk] = subject
    wanted = {normalise_phone(p) for p in phones} - {""}
    if wanted:
        for subject in DataSubject.objects.filter(phone_e164__in=wanted, erased_at__isnull=True):
            found[subject.pk] = subject
    return list(found.values())
