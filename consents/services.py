"""The consent ledger's operations. Every write goes through here, in a transaction: an event is
appended to the chain and the current state updated together, or neither.

Appends are serialised (a transaction-level advisory lock on PostgreSQL; SQLite takes its write
lock at the start of every transaction), so two writers never chain to the same previous event.
"""

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consents.ledger_hash import GENESIS, event_hash
from consents.models import (
    Action,
    ConsentEvent,
    ConsentPurpose,
    ConsentPurposeVersion,
    ConsentState,
    DataSubject,
    Method,
)

LEDGER_LOCK = 0x5EDC0  # the advisory-lock key of the ledger's chain head


def normalise_email(email: str) -> str:
    """One spelling per address: surrounding space removed, lower case."""
    return (email or "").strip().lower()


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
        return DataSubject.objects.create(email=email, email_hash=digest, **details)
    changed = []
    if subject.email is None:
        subject.email, subject.erased_at = email, None
        changed += ["email", "erased_at"]
    for field, value in details.items():
        if value and not getattr(subject, field):
            setattr(subject, field, value)
            changed.append(field)
    if changed:
        subject.save(update_fields=changed)
    return subject


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LEDGER_LOCK])


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
    if occurred_at > now + dt.timedelta(minutes=5):
        raise ValidationError(_("Een toestemming kan niet in de toekomst liggen."), code="future")
    if purpose_version is None:
        purpose_version = purpose.versions.order_by("-number").first()
    elif purpose_version.purpose_id != purpose.pk:
        raise ValidationError(_("Deze tekstversie hoort bij een ander doel."), code="version")
    _lock_chain()
    head = ConsentEvent.objects.order_by("-sequence").values_list("sequence", "hash").first()
    sequence, previous = (head[0] + 1, head[1]) if head else (1, GENESIS)
    event = ConsentEvent(
        sequence=sequence,
        subject=subject,
        purpose=purpose,
        purpose_version=purpose_version,
        action=action,
        occurred_at=occurred_at,
        recorded_at=now,
        method=method,
        recorded_by=recorded_by,
        reference=reference,
        previous_hash=previous,
    )
    event.hash = event_hash(event.content(), previous)
    event.save()
    # Under the chain lock nobody else writes this state: update, or create the first one.
    state = {"status": action, "since": occurred_at, "last_event": event}
    if not ConsentState.objects.filter(subject=subject, purpose=purpose).update(**state):
        ConsentState.objects.create(subject=subject, purpose=purpose, **state)
    return event


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
    same transaction (Art. 7(3), 21(3) GDPR; the statement allows twenty working days)."""
    return _append(
        subject=subject,
        purpose=purpose,
        action=Action.WITHDRAWN,
        method=method,
        recorded_by=recorded_by,
        reference=reference,
        occurred_at=occurred_at,
        purpose_version=purpose_version,
    )


@transaction.atomic
def consent_expire(*, subject, purpose, reference="", occurred_at=None) -> ConsentEvent:
    """Record that a consent lapsed on its own (the soft opt-in two years after the last purchase
    or the end of a subscription)."""
    return _append(
        subject=subject,
        purpose=purpose,
        action=Action.EXPIRED,
        method=Method.SYSTEM,
        reference=reference,
        occurred_at=occurred_at,
    )
