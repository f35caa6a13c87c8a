"""One subject per person (issue 19): the subjects whose addresses are spellings of one address
(`x@bücher.example`, `X@xn--bcher-kva.example`, the decomposed `x@bu\u0308cher.example`, with
spaces or capitals) are merged into one, and every address is stored in the one normal form
(`consents.addresses.normalise_email`) with its keyed hash recomputed — so the services find the
person whichever spelling reaches them.

Every ledger event is kept as it is: its subject id is part of its keyed hash, so the merged
subjects' rows stay (without any details) with `merged_into` naming the one they became, and the
services follow that. The current state per purpose becomes the one that happened last across the
spellings. The merge itself is recorded: `merged_into`/`merged_at` on the row, and a history row
for each subject changed, with the reason.
"""

import hashlib
import hmac
from collections import defaultdict

from django.conf import settings
from django.db import migrations
from django.utils import timezone

from consents.addresses import legacy_spellings, normalise_email

DETAILS = ("name", "phone", "organisation", "function")
CHUNK = 1000  # hashes per IN (…) query, under SQLite's limit of variables


def _hash(email: str) -> str:
    return hmac.new(settings.CONSENT_HASH_KEY.encode(), email.encode(), hashlib.sha256).hexdigest()


def _record(History, subject, reason: str, now) -> None:
    """A history row as django-simple-history writes one for a change."""
    values = {f.attname: getattr(subject, f.attname) for f in subject._meta.concrete_fields}
    History.objects.create(
        **values,
        history_date=now,
        history_type="~",
        history_change_reason=reason,
        history_user=None,
    )


def _erased_spellings(DataSubject, addresses) -> dict[str, list]:
    """Per normal address, the rows erased (and not merged) under any of its spellings: the
    keyed hash the code before stored is that of the spelling, trimmed and lower-cased."""
    wanted = {
        _hash(spelling): email
        for email in addresses
        for spelling in (email, *legacy_spellings(email))
    }
    found = defaultdict(list)
    digests = list(wanted)
    for start in range(0, len(digests), CHUNK):
        rows = DataSubject.objects.filter(
            email__isnull=True,
            merged_into__isnull=True,
            email_hash__in=digests[start : start + CHUNK],
        )
        for row in rows:
            found[wanted[row.email_hash]].append(row)
    return found


def merge_duplicates(apps, schema_editor):
    DataSubject = apps.get_model("consents", "DataSubject")
    History = apps.get_model("consents", "HistoricalDataSubject")
    ConsentState = apps.get_model("consents", "ConsentState")
    groups = defaultdict(list)
    subjects = DataSubject.objects.filter(email__isnull=False, merged_into__isnull=True)
    for subject in subjects.order_by("pk").iterator(chunk_size=5000):
        groups[normalise_email(subject.email)].append(subject)
    # The common case — one subject, already in the normal form — needs nothing.
    groups = {
        email: group for email, group in groups.items() if len(group) > 1 or group[0].email != email
    }
    for email, erased in _erased_spellings(DataSubject, groups).items():
        groups[email] = sorted([*groups[email], *erased], key=lambda s: s.pk)
    now = timezone.now()
    for email, group in groups.items():
        digest = _hash(email)
        survivor = next(
            (s for s in group if s.email_hash == digest),
            next(s for s in group if s.email is not None),
        )
        others = [s for s in group if s is not survivor]
        for other in others:
            for field in DETAILS:
                if not getattr(survivor, field) and getattr(other, field):
                    setattr(survivor, field, getattr(other, field))
            if other.customer_until and (
                not survivor.customer_until or other.customer_until > survivor.customer_until
            ):
                survivor.customer_until = other.customer_until
            survivor.is_restricted = survivor.is_restricted or other.is_restricted  # honoured
            survivor.created_at = min(survivor.created_at, other.created_at)
            other.email, other.merged_into, other.merged_at = None, survivor, now
            other.customer_until = None
            for field in DETAILS:
                setattr(other, field, "")
            other.save()
            _record(
                History, other, f"Samengevoegd met betrokkene #{survivor.pk}: zelfde adres", now
            )
        # Erased under the normal spelling and back under another: the row comes back, as the
        # services give it back to a person who returns.
        survivor.email, survivor.email_hash, survivor.erased_at = email, digest, None
        survivor.save()
        reason = (
            f"Betrokkenen {', '.join(f'#{o.pk}' for o in others)} samengevoegd met deze: zelfde adres"
            if others
            else "E-mailadres in de genormaliseerde vorm"
        )
        _record(History, survivor, reason, now)
        if not others:
            continue
        # The state per purpose that happened last across the spellings.
        states = ConsentState.objects.filter(subject__in=group).select_related("last_event")
        latest = {}
        for state in states:
            best = latest.get(state.purpose_id)
            if best is None or (state.since, state.last_event.sequence) > (
                best.since,
                best.last_event.sequence,
            ):
                latest[state.purpose_id] = state
        ConsentState.objects.filter(subject__in=group).delete()
        ConsentState.objects.bulk_create(
            ConsentState(
                subject=survivor,
                purpose_id=state.purpose_id,
                status=state.status,
                since=state.since,
                last_event_id=state.last_event_id,
            )
            for state in latest.values()
        )


class Migration(migrations.Migration):
    dependencies = [("consents", "0005_subject_merged_into")]

    operations = [migrations.RunPython(merge_duplicates, migrations.RunPython.noop, elidable=False)]
