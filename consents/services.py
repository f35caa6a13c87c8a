"""The consent ledger's operations. Every write goes through here, in a transaction: an event is
recorded and the current state updated together, or neither.

Queue, then integrate (as Certificate Transparency logs do): one event (`consent_give`,
`consent_withdraw`) is recorded unsequenced, with its state, without the chain's lock, so writers
never wait for each other; the sequencer (`ledger_integrate`, one at a time) gives the queued
events their numbers, keyed hashes and tree leaves in batches. The batch path (`consents_record`,
`consents_import`) and the sequencer take the chain's lock (a transaction-level advisory lock on
PostgreSQL; SQLite takes its write lock at the start of every transaction), so two never chain to
the same previous event. With CONSENT_SEQUENCER_INLINE one event goes through the batch path at
once (the tests' default; a machine that wants no worker).
"""

import datetime as dt
import functools
import hashlib
import hmac
import logging
import time
from dataclasses import dataclass

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.events import publish
from consents import anchor, bulk, checkpoints, merkle
from consents.addresses import legacy_spellings, normalise_email, untagged
from consents.ledger_hash import canonical, keyed_hash
from consents.ledger_keys import key_id, ledger_key, public_key_bytes, signing_key
from consents.locks import job_try_lock
from consents.models import (
    Action,
    ConsentEvent,
    ConsentPurpose,
    ConsentPurposeVersion,
    ConsentState,
    DataSubject,
    LedgerCheckpoint,
    LedgerHead,
    MerkleNode,
    Method,
)
from consents.phones import normalise_phone, phone_hash_input

LEDGER_LOCK = 0x5EDC0  # the advisory-lock key of the ledger's chain head
BATCH_SIZE = 1000  # rows per INSERT or UPDATE statement in bulk writes
SEQUENCER_LOCK = "consents-ledger-sequencer"  # one sequencer at a time (a job lock)
SEQUENCER_TASK = "consents.tasks.ledger_integrate"  # named, not imported: tasks import us
SEQUENCER_WAKE_SECONDS = 0.2
SEQUENCER_WAKE_BACKOFF_SECONDS = 10.0  # after a wake the broker refused
log = logging.getLogger(__name__)


def email_hash(email: str) -> str:
    """A keyed hash (HMAC-SHA-256) of the normalised address: what remains after erasure."""
    return _keyed(normalise_email(email))


def email_hashes(email: str) -> list[str]:
    """The address's keyed hash (first), then those of its legacy spellings: someone erased
    before there was one normaliser kept the hash of the spelling they used then
    (`addresses.legacy_spellings`). Only the first for an ASCII address."""
    return [email_hash(email), *(_keyed(spelling) for spelling in legacy_spellings(email))]


def _keyed(text: str) -> str:
    keyed = _hmac_keyed(settings.CONSENT_HASH_KEY).copy()
    keyed.update(text.encode())
    return keyed.hexdigest()


@functools.lru_cache(maxsize=4)
def _hmac_keyed(key: str) -> hmac.HMAC:
    """The HMAC with the key already mixed in, copied for every address: a bulk check hashes
    100,000 of them, and keying a new HMAC each time cost four times the copy. Cached by the key
    itself, so a changed setting (a test's) gets its own."""
    return hmac.new(key.encode(), digestmod=hashlib.sha256)


def subjects_by_hash(digests: dict[str, list[str]]) -> dict[str, DataSubject]:
    """Per address, its subject, found by any of the address's hashes (`email_hashes`: the
    normal one first, which wins), locked; a row found by a legacy hash only is re-keyed to the
    normal one, now that the address is known again. A few queries, whatever the number."""
    wanted = {digest: email for email, hashes in digests.items() for digest in hashes}
    found: dict[str, DataSubject] = {}
    for chunk in _chunks(list(wanted)):
        for subject in DataSubject.objects.select_for_update().filter(
            bulk.AnyOf(F("email_hash"), chunk)
        ):
            email = wanted[subject.email_hash]
            if email not in found or subject.email_hash == digests[email][0]:
                found[email] = subject
    rekeyed = []
    for email, subject in found.items():
        if subject.email_hash != digests[email][0]:
            subject.email_hash = digests[email][0]
            rekeyed.append(subject)
    if rekeyed:
        DataSubject.objects.bulk_update(rekeyed, ["email_hash"], batch_size=BATCH_SIZE)
    return found


@transaction.atomic
def subject_get_or_create(
    *, email: str, name: str = "", phone: str = "", organisation: str = "", function: str = ""
) -> DataSubject:
    """The data subject with this address, created when new. Known details are kept; empty ones
    are filled in. Someone erased earlier who comes back gets their row (and their opt-outs)
    back, found through the keyed hash — also when they were erased under an older spelling of
    the address (`email_hashes`)."""
    email = normalise_email(email)
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(_("Voer een geldig e-mailadres in."), code="email") from None
    digest = email_hash(email)
    subject = subjects_by_hash({email: email_hashes(email)}).get(email)
    details = {
        "name": name.strip(),
        "phone": phone.strip(),
        "organisation": organisation.strip(),
        "function": function.strip(),
    }
    if subject is None:
        return DataSubject.objects.create(
            email=email, email_hash=digest, phone_e164=normalise_phone(phone), **details
        )
    if changed := _merge(subject, email, details):
        subject.save(update_fields=changed)
    return subject


def _merge(subject: DataSubject, email: str, details: dict) -> list[str]:
    """Bring back an erased subject's address and fill in empty details; the fields changed."""
    changed = []
    if subject.email is None:
        subject.email, subject.erased_at = email, None
        changed += ["email", "erased_at"]
    for field, value in details.items():
        if value and not getattr(subject, field):
            setattr(subject, field, value)
            changed.append(field)
    if "phone" in changed:
        subject.phone_e164 = normalise_phone(subject.phone)
        changed.append("phone_e164")
    return changed


@transaction.atomic
def subject_by_phone_get_or_create(*, phone: str, name: str = "") -> DataSubject:
    """The data subject with this phone number (however it is typed), created when new: a
    caller who opts out by phone need not give an e-mail address. A person known by an address
    who has this number is that person; one known only by the number is kept by its keyed hash,
    as an address is, so an opt-out outlives their erasure."""
    e164 = normalise_phone(phone)
    if not e164:
        raise ValidationError(_("Voer een geldig telefoonnummer in."), code="phone")
    found = (
        DataSubject.objects.select_for_update()
        .filter(phone_e164=e164, erased_at__isnull=True, merged_into__isnull=True)
        .order_by("email", "pk")  # a person known by an address too comes first
        .first()
    )
    if found is not None:
        if changed := _merge_details(found, {"name": name.strip()}):
            found.save(update_fields=changed)
        return found
    digest = email_hash(phone_hash_input(e164))
    subject = DataSubject.objects.select_for_update().filter(email_hash=digest).first()
    if subject is None:
        return DataSubject.objects.create(
            email=None, email_hash=digest, name=name.strip(), phone=phone.strip(), phone_e164=e164
        )
    # Erased before and calling again: the row (and its opt-outs) comes back, known by number.
    subject.erased_at, subject.phone, subject.phone_e164 = None, phone.strip(), e164
    fields = ["erased_at", "phone", "phone_e164", *_merge_details(subject, {"name": name.strip()})]
    subject.save(update_fields=fields)
    return subject


def _merge_details(subject: DataSubject, details: dict) -> list[str]:
    changed = []
    for field, value in details.items():
        if value and not getattr(subject, field):
            setattr(subject, field, value)
            changed.append(field)
    return changed


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LEDGER_LOCK])


def _not_in_future(moment: dt.datetime, now: dt.datetime) -> None:
    if moment > now + dt.timedelta(minutes=5):
        raise ValidationError(_("Een toestemming kan niet in de toekomst liggen."), code="future")


def _append(
    *,
    subject: DataSubject,
    purpose: ConsentPurpose,
    action: str,
    method: str,
    recorded_by=None,
    reference: str = "",
    occurred_at: dt.datetime | None = None,
    purpose_version: ConsentPurposeVersion | None = None,
) -> ConsentEvent:
    if method not in Method.values:
        raise ValidationError(_("Onbekende verzamelwijze."), code="method")
    if subject.merged_into_id:  # another spelling of the same address: the event is the person's
        subject = DataSubject(pk=subject.merged_into_id)
    now = timezone.now()
    occurred_at = occurred_at or now
    _not_in_future(occurred_at, now)
    if purpose_version is not None and purpose_version.purpose_id != purpose.pk:
        raise ValidationError(_("Deze tekstversie hoort bij een ander doel."), code="version")
    event = ConsentEvent(
        subject=subject,
        purpose=purpose,
        purpose_version=purpose_version,
        action=action,
        occurred_at=occurred_at,
        recorded_at=now,
        method=method,
        recorded_by=recorded_by,
        reference=reference,
    )
    if settings.CONSENT_SEQUENCER_INLINE or connection.vendor != "postgresql":
        if purpose_version is None:  # the wording in force
            event.purpose_version = purpose.versions.order_by("-number").first()
        if settings.CONSENT_SEQUENCER_INLINE:
            return _chain([event])[0]
    return _queue(event)


def _queue(event: ConsentEvent) -> ConsentEvent:
    """Record the event unsequenced and bring the state up to it, in the caller's transaction,
    without the chain's lock: writers no longer wait for each other. "May we contact?" is right
    at once; the sequencer, woken once this commits, integrates the event within a second or
    two (`ledger_integrate`). The listeners (webhooks) are told now, in this transaction, as the
    batch path tells them: a withdrawal is announced when it takes effect, not when it is
    numbered (its `sequence` is still None then). On PostgreSQL the wording in force, the
    insert and the state are one statement (`_queue_in_one_statement`): a round trip each
    costs a writer more than the work."""
    if connection.vendor == "postgresql":
        _queue_in_one_statement(event)
    else:
        event.save()
        _states_follow([event])
    _announce([event])
    transaction.on_commit(sequencer_wake)
    return event


# One queued event on PostgreSQL: the insert (the wording in force looked up in it when none is
# given), then the state brought up to it exactly as `bulk.STATE_UPSERT` does, in one statement — a
# data-modifying WITH runs once whether or not the outer SELECT reads it.
QUEUE_ONE = """
    WITH event AS (
        INSERT INTO consents_consentevent ({columns}) VALUES ({values})
        RETURNING id, subject_id, purpose_id, purpose_version_id, action, occurred_at
    ), state AS (
        INSERT INTO consents_consentstate (subject_id, purpose_id, status, since, last_event_id)
        SELECT subject_id, purpose_id, action, occurred_at, id FROM event
        ON CONFLICT (subject_id, purpose_id) DO UPDATE SET
            status = excluded.status, since = excluded.since, last_event_id = excluded.last_event_id
        WHERE consents_consentstate.since <= excluded.since
    )
    SELECT id, purpose_version_id FROM event
"""
LATEST_VERSION = """(
    SELECT id FROM consents_consentpurposeversion WHERE purpose_id = %s
    ORDER BY number DESC LIMIT 1
)"""


def _queue_in_one_statement(event: ConsentEvent) -> None:
    """Insert the event and upsert its state in one round trip (PostgreSQL). The columns are
    the model's, their values prepared as the ORM's insert prepares them."""
    fields = [f for f in ConsentEvent._meta.concrete_fields if not f.primary_key]
    columns, values, params = [], [], []
    for field in fields:
        columns.append(connection.ops.quote_name(field.column))
        value = field.get_db_prep_save(field.pre_save(event, add=True), connection)
        if field.attname == "purpose_version_id" and value is None:
            values.append(LATEST_VERSION)
            params.append(event.purpose_id)
        else:
            values.append("%s")
            params.append(value)
    with connection.cursor() as cursor:
        cursor.execute(
            QUEUE_ONE.format(columns=", ".join(columns), values=", ".join(values)), params
        )
        event.pk, event.purpose_version_id = cursor.fetchone()
    event._state.adding, event._state.db = False, connection.alias


_last_wake = [0.0]  # when this process may next wake the sequencer (time.monotonic)


def sequencer_wake() -> None:
    """Ask a worker to integrate the queue — at most every SEQUENCER_WAKE_SECONDS per process,
    since one run integrates everything queued; beat runs it every second besides, so a wake
    lost (a broker down) delays an event by a second, and loses nothing. After a failure not
    again for SEQUENCER_WAKE_BACKOFF_SECONDS: a broker that is down makes `send_task` retry for
    more than half a second, in the committing request, and every writer would pay that on
    every event."""
    now = time.monotonic()
    if now < _last_wake[0]:
        return
    _last_wake[0] = now + SEQUENCER_WAKE_SECONDS
    try:
        current_app.send_task(SEQUENCER_TASK)
    except Exception:  # noqa: BLE001 — the broker is unreachable; beat's run integrates it
        _last_wake[0] = time.monotonic() + SEQUENCER_WAKE_BACKOFF_SECONDS
        log.warning("broker unreachable; the queued ledger events wait for the next beat run")


def _head() -> LedgerHead:
    """The chain's head row, locked (the caller holds the chain lock)."""
    head = LedgerHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        if ConsentEvent.objects.filter(sequence__isnull=False).exists():
            raise RuntimeError("the ledger has events but no head: run the ledger migration")
        head = LedgerHead.objects.create(pk=1)
    return head


def _number(events: list[ConsentEvent]) -> None:
    """The batch path's core (the caller holds the chain lock): number the events after the
    chain's head, chain each to the one before by its keyed hash, add each as a leaf to the
    Merkle tree (O(log n), storing the complete subtrees it finishes) and move the head."""
    head = _head()
    current_key_id, key = ledger_key()
    tree = merkle.CompactRange.load(head.tree_size, head.edge)
    sequence, previous, nodes = head.tree_size, head.last_hash, []
    for event in events:
        sequence += 1
        event.sequence, event.previous_hash, event.key_id = sequence, previous, current_key_id
        data = canonical(event.content(), previous, current_key_id)
        event.hash = previous = keyed_hash(data, key)
        for level, index, value in tree.append(merkle.leaf_hash(data)):
            if level >= merkle.STORED_LEVEL:
                nodes.append(MerkleNode(level=level, index=index, hash=value.hex()))
    bulk.insert(nodes)
    head.tree_size, head.last_hash, head.edge = tree.size, previous, tree.dump()
    head.save(update_fields=["tree_size", "last_hash", "edge"])


def _chain(events: list[ConsentEvent]) -> list[ConsentEvent]:
    """The batch path: number, chain and tree the new events (`_number`), insert them, and bring
    each subject's state for the purpose up to the event that happened last: a few statements
    per batch."""
    _lock_chain()
    _number(events)
    bulk.insert(events)
    latest = {}
    for event in events:
        key = (event.subject_id, event.purpose_id)
        if key not in latest or event.occurred_at >= latest[key].occurred_at:
            latest[key] = event
    _states_follow(latest.values())
    _announce(events)
    return events


# The sequencer's fill-in of a queued event: its number, previous hash, key id and keyed hash,
# from a list of values, in one statement per chunk (the triggers allow exactly this, once).
# VALUES names its columns column1… on PostgreSQL and SQLite alike: (id, sequence, previous hash,
# key id, hash).
INTEGRATE = """
    UPDATE consents_consentevent
    SET sequence = v.column2, previous_hash = v.column3, key_id = v.column4, hash = v.column5
    FROM (VALUES {rows}) AS v
    WHERE consents_consentevent.id = v.column1 AND consents_consentevent.sequence IS NULL
"""


def ledger_integrate(*, limit: int | None = None) -> int:
    """The sequencer (as Certificate Transparency logs and Trillian integrate their queues): give
    the queued events, oldest first, their numbers, keyed hashes and tree leaves through the
    batch path, up to `limit` (CONSENT_SEQUENCER_BATCH) in one transaction. One run at a time
    (a job lock; a run that finds it taken returns 0 at once, the running one integrates). The
    states were brought up to date when the events were recorded. Returns how many it
    integrated."""
    limit = limit or settings.CONSENT_SEQUENCER_BATCH
    with transaction.atomic():
        if not job_try_lock(SEQUENCER_LOCK):
            return 0
        _lock_chain()  # against the batch path (consents_record, imports) and the checkpoints
        queued = list(ConsentEvent.objects.filter(sequence__isnull=True).order_by("pk")[:limit])
        if not queued:
            return 0
        _number(queued)
        # Through the driver's own parameters: a datetime or a None needs no adapting here.
        with connection.cursor() as cursor:
            for chunk in _chunks(queued, 150):  # 5 parameters a row, under SQLite's 999
                cursor.execute(
                    INTEGRATE.format(rows=", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))),
                    [
                        value
                        for e in chunk
                        for value in (e.pk, e.sequence, e.previous_hash, e.key_id, e.hash)
                    ],
                )
                if cursor.rowcount != len(chunk):
                    raise RuntimeError("an event was integrated twice")  # rolls the batch back
    return len(queued)


def ledger_integrate_all(*, seconds: float = 0.9) -> int:
    """Integrate until the queue is empty or `seconds` have passed (the task beat runs every
    second): batches of CONSENT_SEQUENCER_BATCH, each committed."""
    deadline, total = time.monotonic() + seconds, 0
    while True:
        done = ledger_integrate()
        total += done
        if done < settings.CONSENT_SEQUENCER_BATCH or time.monotonic() > deadline:
            return total


@transaction.atomic
def ledger_checkpoint() -> LedgerCheckpoint:
    """Sign the tree's size and root as they are now (a signed tree head, RFC 9162), store it,
    and — once committed — write it to the append-only store outside the database. While the
    tree has not grown since the newest checkpoint, that one stands (and is written out again if
    the store lacks it)."""
    _lock_chain()
    head = _head()
    newest = LedgerCheckpoint.objects.order_by("-tree_size", "-signed_at").first()
    if newest is None or newest.tree_size != head.tree_size:
        key = signing_key()
        root = merkle.CompactRange.load(head.tree_size, head.edge).root().hex()
        signed_at = timezone.now()
        newest = LedgerCheckpoint.objects.create(
            tree_size=head.tree_size,
            root_hash=root,
            signed_at=signed_at,
            key_id=key_id(public_key_bytes(key.public_key())),
            signature=checkpoints.sign(
                tree_size=head.tree_size, root_hash=root, signed_at=signed_at, key=key
            ),
        )
    payload = newest.payload()
    transaction.on_commit(lambda: anchor.checkpoint_write(payload))
    return newest


ANNOUNCED = {Action.GIVEN: "consent.given", Action.WITHDRAWN: "consent.withdrawn"}


def _announce(events: list[ConsentEvent]) -> None:
    """Tell the listeners (webhooks) of the consents given and withdrawn, in this transaction."""
    for action, name in ANNOUNCED.items():
        publish(
            name,
            [
                {
                    "subject_id": event.subject_id,
                    "purpose_id": event.purpose_id,
                    "sequence": event.sequence,
                    "occurred_at": event.occurred_at,
                }
                for event in events
                if event.action == action
            ],
        )


def _states_follow(events) -> None:
    """Each subject's state for the purpose brought up to the event (`bulk.states_upsert`)."""
    bulk.states_upsert(
        [(e.subject_id, e.purpose_id, e.action, e.occurred_at, e.pk) for e in events]
    )


def _chunks(items: list, size: int = BATCH_SIZE):
    for start in range(0, len(items), size):
        yield items[start : start + size]


@transaction.atomic
def consent_give(
    *,
    subject,
    purpose,
    method,
    recorded_by=None,
    reference="",
    occurred_at=None,
    purpose_version=None,
) -> ConsentEvent:
    """Record that the person agreed, how, and to which wording (Art. 7(1) GDPR: the controller
    must be able to show it)."""
    if subject.erased_at:
        raise ValidationError(_("Deze betrokkene is gewist."), code="erased")
    return _append(
        subject=subject,
        purpose=purpose,
        action=Action.GIVEN,
        method=method,
        recorded_by=recorded_by,
        reference=reference,
        occurred_at=occurred_at,
        purpose_version=purpose_version,
    )


@transaction.atomic
def consent_withdraw(
    *,
    subject,
    purpose,
    method,
    recorded_by=None,
    reference="",
    occurred_at=None,
    purpose_version=None,
) -> ConsentEvent:
    """Record an opt-out or objection. It takes effect at once: the state says "withdrawn" in the
    same transaction (Art. 7(3), 21(3) GDPR; the statement allows twenty working days). An
    opt-out under `x+tag@…` also withdraws `x@…` when that address has consented
    (`addresses.untagged`)."""
    event = _append(
        subject=subject,
        purpose=purpose,
        action=Action.WITHDRAWN,
        method=method,
        recorded_by=recorded_by,
        reference=reference,
        occurred_at=occurred_at,
        purpose_version=purpose_version,
    )
    tagged = "+" in (subject.email or "")  # no query for the common address without a tag
    for subject_id, _purpose in _untagged_pairs([(subject.pk, purpose.pk)]) if tagged else []:
        _append(
            subject=DataSubject(pk=subject_id),
            purpose=purpose,
            action=Action.WITHDRAWN,
            method=method,
            recorded_by=recorded_by,
            reference=reference,
            occurred_at=occurred_at,
            purpose_version=purpose_version,
        )
    return event


@transaction.atomic
def consents_by_phone(
    *,
    purposes,
    give: bool,
    by,
    subject: DataSubject | None = None,
    email: str = "",
    phone: str = "",
    name: str = "",
) -> DataSubject:
    """What a caller said on the phone, for each of `purposes` at once, recorded by the agent `by`
    (method: phone). The caller is the known `subject`, else found or created by address, else by
    phone number alone (an opt-out needs no address), in the same transaction. An opt-out takes
    effect at once (Art. 7(3), 21(3) GDPR); a consent needs the purpose's wording read out, which
    the agent confirmed."""
    if subject is None and email:
        subject = subject_get_or_create(email=email, name=name, phone=phone)
    elif subject is None:
        subject = subject_by_phone_get_or_create(phone=phone, name=name)
    record = consent_give if give else consent_withdraw
    for purpose in purposes:
        record(subject=subject, purpose=purpose, method=Method.PHONE, recorded_by=by)
    return subject


def _untagged_pairs(pairs: list[tuple[int, int]]) -> dict[tuple[int, int], tuple[int, int]]:
    """For withdrawals of tagged addresses: the (subject, purpose) pairs of the same addresses
    without the tag whose state still says "given", each to the tagged pair it follows from —
    two queries, whatever the number."""
    tagged = DataSubject.objects.filter(
        pk__in={subject for subject, _ in pairs}, email__contains="+"
    ).values_list("pk", "email")
    bases = {pk: base for pk, email in tagged if (base := untagged(email))}
    if not bases:
        return {}
    wanted = {}
    for subject, purpose in pairs:
        if subject in bases:
            wanted.setdefault((bases[subject], purpose), (subject, purpose))
    given = ConsentState.objects.filter(
        subject__email__in=set(bases.values()),
        purpose_id__in={p for _, p in wanted},
        status=Action.GIVEN,
    ).values_list("subject_id", "subject__email", "purpose_id")
    return {(s, p): wanted[(email, p)] for s, email, p in sorted(given) if (email, p) in wanted}


@transaction.atomic
def consents_record(
    *,
    pairs: list[tuple[int, int]],
    action: str,
    method: str,
    reference: str = "",
    references: dict[tuple[int, int], str] | None = None,
) -> list[ConsentEvent]:
    """Record one withdrawal or expiry for many (subject id, purpose id) pairs at once — every
    soft opt-in whose two years ran out, every marketing purpose of an objection — with the same
    chain and states as one by one, in a few statements. `references` gives a pair its own
    reference instead of `reference` (a lapse names the consent that lapsed). (Giving consent is
    one by one, through `consent_give`: it needs the wording the person saw.)"""
    if action not in (Action.WITHDRAWN, Action.EXPIRED):
        raise ValueError(f"consents_record records withdrawals and expiries, not {action!r}")
    if not pairs:
        return []
    pairs, references = _follow_merges(pairs, references)
    if action == Action.WITHDRAWN:
        pairs = [*pairs, *_untagged_pairs(pairs)]
    now = timezone.now()
    versions = _latest_versions({purpose for _, purpose in pairs})
    return _chain(
        [
            ConsentEvent(
                subject_id=subject,
                purpose_id=purpose,
                purpose_version=versions.get(purpose),
                action=action,
                occurred_at=now,
                recorded_at=now,
                method=method,
                reference=(references or {}).get((subject, purpose), reference),
            )
            for subject, purpose in pairs
        ]
    )


def _follow_merges(pairs, references):
    """The pairs (and their references) with each merged subject replaced by the one it was
    merged into (consents migration 0006), duplicates dropped; one query."""
    merged = dict(
        DataSubject.objects.filter(
            pk__in={subject for subject, _ in pairs}, merged_into__isnull=False
        ).values_list("pk", "merged_into_id")
    )
    if not merged:
        return pairs, references
    followed, seen, moved = [], set(), {}
    for subject, purpose in pairs:
        pair = (merged.get(subject, subject), purpose)
        if pair not in seen:
            seen.add(pair)
            followed.append(pair)
            if references and (subject, purpose) in references:
                moved[pair] = references[(subject, purpose)]
    return followed, (moved if references else references)


def _latest_versions(purpose_ids) -> dict[int, ConsentPurposeVersion]:
    """The wording in force per purpose (its highest version number), in one query."""
    versions = ConsentPurposeVersion.objects.filter(purpose_id__in=purpose_ids)
    return {version.purpose_id: version for version in versions.order_by("purpose_id", "number")}


@dataclass(frozen=True)
class ImportRow:
    """One line of an existing opt-in list, already read and checked."""

    email: str
    name: str
    purpose: ConsentPurpose
    occurred_at: dt.datetime
    reference: str


@transaction.atomic
def consents_import(*, rows: list[ImportRow], recorded_by=None) -> list[ConsentEvent]:
    """Record the consents of an imported opt-in list: per row a "given" event with collection
    method "import", for the subject found or created (as `subject_get_or_create` would), the
    chain and the states exactly as row by row, but written in bulk."""
    now = timezone.now()
    details = {}
    for row in rows:
        email = normalise_email(row.email)
        _not_in_future(row.occurred_at, now)
        if not details.get(email, {}).get("name"):
            details[email] = {"name": row.name.strip()}
    subjects = _subjects_in_bulk(details, recorded_by)
    versions = _latest_versions({row.purpose.pk for row in rows})
    return _chain(
        [
            ConsentEvent(
                subject=subjects[normalise_email(row.email)],
                purpose=row.purpose,
                purpose_version=versions.get(row.purpose.pk),
                action=Action.GIVEN,
                occurred_at=row.occurred_at,
                recorded_at=now,
                method=Method.IMPORT,
                recorded_by=recorded_by,
                reference=row.reference[:100],
            )
            for row in rows
        ]
    )


def _subjects_in_bulk(details: dict[str, dict], by) -> dict[str, DataSubject]:
    """The subjects of these addresses by address: found by their keyed hash, also a legacy
    spelling's (`subjects_by_hash`; erased ones brought back, empty details filled in) or
    created, with history, in a few queries."""
    for email in details:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(
                _("Ongeldig e-mailadres: '%(value)s'.") % {"value": email}, code="email"
            ) from None
    found = subjects_by_hash({email: email_hashes(email) for email in details})
    changed = [s for email, s in found.items() if _merge(s, email, details[email])]
    if changed:
        bulk_update_with_history(
            changed,
            DataSubject,
            ["email", "erased_at", "name"],
            batch_size=BATCH_SIZE,
            default_user=by,
        )
    new = [
        DataSubject(email=email, email_hash=email_hash(email), **details[email])
        for email in details
        if email not in found
    ]
    created = bulk_create_with_history(new, DataSubject, batch_size=BATCH_SIZE, default_user=by)
    return found | {subject.email: subject for subject in created}


@transaction.atomic
def subject_restrict(*, subject: DataSubject, by, reason: str) -> DataSubject:
    """Restrict the processing of the person's data (Art. 18 GDPR): from now on "may we contact
    this person?" answers no for every purpose (`selectors.may_contact`). The history row carries
    the reason."""
    subject = DataSubject.objects.select_for_update().get(pk=subject.pk)
    if subject.erased_at:
        raise ValidationError(_("Deze betrokkene is gewist."), code="erased")
    if subject.is_restricted:
        raise ValidationError(_("De verwerking is al beperkt."), code="already_restricted")
    subject.is_restricted = True
    subject._change_reason = reason.strip() or _("Beperking van de verwerking (art. 18 AVG)")
    subject.save()
    publish("subject.restricted", [{"subject_id": subject.pk}])
    return subject


@transaction.atomic
def subject_lift_restriction(*, subject: DataSubject, by, reason: str) -> DataSubject:
    """Lift a restriction (Art. 18(3) GDPR): only with the reason, which the history keeps."""
    subject = DataSubject.objects.select_for_update().get(pk=subject.pk)
    if not subject.is_restricted:
        raise ValidationError(_("De verwerking is niet beperkt."), code="not_restricted")
    if not reason.strip():
        raise ValidationError(_("Geef de reden om de beperking op te heffen."), code="reason")
    subject.is_restricted = False
    subject._change_reason = reason.strip()
    subject.save()
    publish("subject.restriction_lifted", [{"subject_id": subject.pk}])
    return subject


@dataclass(frozen=True)
class NewEvent:
    """One consent given or withdrawn, told by another system (the API's batch), already read."""

    email: str
    purpose: ConsentPurpose
    action: str
    method: str
    occurred_at: dt.datetime
    purpose_version: ConsentPurposeVersion | None = None
    reference: str = ""


@transaction.atomic
def consent_events_record(*, events: list[NewEvent], recorded_by=None) -> list[ConsentEvent]:
    """Record many given and withdrawn events at once, for subjects found (by keyed hash) or
    created, with the chain and the states exactly as one by one through `consent_give` and
    `consent_withdraw`, in a few statements. The wording is the one given, else the one in force."""
    now, methods = timezone.now(), set(Method.values)
    for event in events:
        if event.action not in (Action.GIVEN, Action.WITHDRAWN):
            raise ValidationError(_("Alleen gegeven of ingetrokken."), code="action")
        if event.method not in methods:
            raise ValidationError(_("Onbekende verzamelwijze."), code="method")
        if event.purpose_version and event.purpose_version.purpose_id != event.purpose.pk:
            raise ValidationError(_("Deze tekstversie hoort bij een ander doel."), code="version")
        _not_in_future(event.occurred_at, now)
    emails = [normalise_email(event.email) for event in events]
    subjects = _subjects_in_bulk(dict.fromkeys(emails, {"name": ""}), recorded_by)
    versions = _latest_versions({event.purpose.pk for event in events})
    by = recorded_by.pk if recorded_by else None
    new = [  # by ids: an instance per foreign key costs the model's checks on every event
        ConsentEvent(
            subject_id=subjects[email].pk,
            purpose_id=event.purpose.pk,
            purpose_version_id=getattr(
                event.purpose_version or versions.get(event.purpose.pk), "pk", None
            ),
            action=event.action,
            occurred_at=event.occurred_at,
            recorded_at=now,
            method=event.method,
            recorded_by_id=by,
            reference=event.reference[:100],
        )
        for email, event in zip(emails, events, strict=True)
    ]
    tagged = {subject.pk for email, subject in subjects.items() if "+" in email}
    return _chain([*new, *_untagged_withdrawals(new, tagged)])


def _untagged_withdrawals(events: list[ConsentEvent], tagged: set[int]) -> list[ConsentEvent]:
    """An opt-out under `x+tag@…` (the subjects `tagged`) in a batch also withdraws `x@…` where
    that address has consented, as `consent_withdraw` does one by one: the same moment, method,
    wording and reference. No query for a batch without a tagged withdrawal."""
    withdrawals = {
        (event.subject_id, event.purpose_id): event
        for event in events
        if event.action == Action.WITHDRAWN and event.subject_id in tagged
    }
    if not withdrawals:
        return []
    return [
        ConsentEvent(
            subject_id=subject,
            purpose_id=purpose,
            purpose_version_id=(origin := withdrawals[following]).purpose_version_id,
            action=Action.WITHDRAWN,
            occurred_at=origin.occurred_at,
            recorded_at=origin.recorded_at,
            method=origin.method,
            recorded_by_id=origin.recorded_by_id,
            reference=origin.reference,
        )
        for (subject, purpose), following in _untagged_pairs(list(withdrawals)).items()
    ]
