"""The consent ledger's operations. Every write goes through here, in a transaction: an event is
appended to the chain and the current state updated together, or neither.

Appends are serialised (a transaction-level advisory lock on PostgreSQL; SQLite takes its write
lock at the start of every transaction), so two writers never chain to the same previous event.
"""

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from consents import anchor, checkpoints, merkle
from consents.addresses import normalise_email, untagged
from consents.ledger_hash import canonical, keyed_hash
from consents.ledger_keys import key_id, ledger_key, public_key_bytes, signing_key
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


def email_hash(email: str) -> str:
    """A keyed hash (HMAC-SHA-256) of the normalised address: what remains after erasure."""
    key = settings.CONSENT_HASH_KEY.encode()
    return hmac.new(key, normalise_email(email).encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def subject_get_or_create(
    *, email: str, name: str = "", phone: str = "", organisation: str = "", function: str = ""
) -> DataSubject:
    """The data subject with this address, created when new. Known details are kept; empty ones
    are filled in. Someone erased earlier who comes back gets their row (and their opt-outs)
    back, found through the keyed hash."""
    email = normalise_email(email)
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(_("Voer een geldig e-mailadres in."), code="email") from None
    digest = email_hash(email)
    subject = DataSubject.objects.select_for_update().filter(email_hash=digest).first()
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
        .filter(phone_e164=e164, erased_at__isnull=True)
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
    now = timezone.now()
    occurred_at = occurred_at or now
    _not_in_future(occurred_at, now)
    if purpose_version is None:
        purpose_version = purpose.versions.order_by("-number").first()
    elif purpose_version.purpose_id != purpose.pk:
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
    return _chain([event])[0]


def _head() -> LedgerHead:
    """The chain's head row, locked (the caller holds the chain lock)."""
    head = LedgerHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        if ConsentEvent.objects.exists():
            raise RuntimeError("the ledger has events but no head: run the ledger migration")
        head = LedgerHead.objects.create(pk=1)
    return head


def _chain(events: list[ConsentEvent]) -> list[ConsentEvent]:
    """Number the events after the chain's head, chain each to the one before by its keyed hash,
    add each as a leaf to the Merkle tree (O(log n), storing the complete subtrees it finishes),
    insert them, and bring each subject's state for the purpose up to the event that happened
    last: a few statements per batch."""
    _lock_chain()
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
    ConsentEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
    MerkleNode.objects.bulk_create(nodes, batch_size=BATCH_SIZE)
    head.tree_size, head.last_hash, head.edge = tree.size, previous, tree.dump()
    head.save(update_fields=["tree_size", "last_hash", "edge"])
    latest = {}
    for event in events:
        key = (event.subject_id, event.purpose_id)
        if key not in latest or event.occurred_at >= latest[key].occurred_at:
            latest[key] = event
    _states_follow(latest.values())
    return events


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


# The state follows the event that happened last, not the one recorded last: an older event (an
# imported list from before an opt-out, say) joins the ledger but does not move the state back.
# ON CONFLICT … DO UPDATE … WHERE, the same on PostgreSQL and SQLite; the ORM's upsert has no WHERE.
STATE_UPSERT = """
    INSERT INTO consents_consentstate (subject_id, purpose_id, status, since, last_event_id)
    VALUES {rows}
    ON CONFLICT (subject_id, purpose_id) DO UPDATE SET
        status = excluded.status, since = excluded.since, last_event_id = excluded.last_event_id
    WHERE consents_consentstate.since <= excluded.since
"""


def _states_follow(events) -> None:
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        for chunk in _chunks(list(events), 150):  # 5 parameters a row, under SQLite's 999
            cursor.execute(
                STATE_UPSERT.format(rows=", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))),
                [
                    value
                    for event in chunk
                    for value in (
                        event.subject_id,
                        event.purpose_id,
                        event.action,
                        adapt(event.occurred_at),
                        event.pk,
                    )
                ],
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


def _untagged_pairs(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """For withdrawals of tagged addresses: the (subject, purpose) pairs of the same addresses
    without the tag whose state still says "given" — two queries, whatever the number."""
    tagged = DataSubject.objects.filter(
        pk__in={subject for subject, _ in pairs}, email__contains="+"
    ).values_list("pk", "email")
    bases = {pk: base for pk, email in tagged if (base := untagged(email))}
    if not bases:
        return []
    wanted = {(bases[s], p) for s, p in pairs if s in bases}
    given = ConsentState.objects.filter(
        subject__email__in=set(bases.values()),
        purpose_id__in={p for _, p in wanted},
        status=Action.GIVEN,
    ).values_list("subject_id", "subject__email", "purpose_id")
    return sorted({(s, p) for s, email, p in given if (email, p) in wanted})


@transaction.atomic
def consents_record(
    *, pairs: list[tuple[int, int]], action: str, method: str, reference: str = ""
) -> list[ConsentEvent]:
    """Record one withdrawal or expiry for many (subject id, purpose id) pairs at once — every
    soft opt-in whose two years ran out, every marketing purpose of an objection — with the same
    chain and states as one by one, in a few statements. (Giving consent is one by one, through
    `consent_give`: it needs the wording the person saw.)"""
    if action not in (Action.WITHDRAWN, Action.EXPIRED):
        raise ValueError(f"consents_record records withdrawals and expiries, not {action!r}")
    if not pairs:
        return []
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
                reference=reference,
            )
            for subject, purpose in pairs
        ]
    )


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
    """The subjects of these addresses by address: found by their keyed hash (erased ones
    brought back, empty details filled in) or created, with history, in a few queries."""
    for email in details:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(
                _("Ongeldig e-mailadres: '%(value)s'.") % {"value": email}, code="email"
            ) from None
    by_hash = {email_hash(email): email for email in details}
    found = {
        by_hash[subject.email_hash]: subject
        for chunk in _chunks(list(by_hash))
        for subject in DataSubject.objects.select_for_update().filter(email_hash__in=chunk)
    }
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
        DataSubject(email=email, email_hash=digest, **details[email])
        for digest, email in by_hash.items()
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
    return subject
