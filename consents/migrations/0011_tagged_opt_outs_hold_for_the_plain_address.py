"""An opt-out under `x+tag@…` holds for `x@…` too (issue 19, `consents.addresses.untagged`) —
also for the opt-outs recorded before the services did so. For each plain address whose consent
still says "given" while one of its tagged forms withdrew after that consent, the ledger gets the
withdrawal the services would have recorded then: an event of the plain address's subject, when
the tagged opt-out happened, with its method and a reference to it (no address), queued for the
sequencer like any single event; the state follows. A consent the plain address gave after the
tagged opt-out stands, as it would have."""

from collections import defaultdict

from django.db import migrations
from django.utils import timezone

from consents.addresses import untagged

CHUNK = 500  # addresses per IN (…) query, under SQLite's limit of variables


def withdraw_plain_addresses(apps, schema_editor):
    ConsentEvent = apps.get_model("consents", "ConsentEvent")
    ConsentState = apps.get_model("consents", "ConsentState")
    opt_outs = defaultdict(list)  # (plain address, purpose) → the tagged forms' withdrawn states
    tagged = ConsentState.objects.filter(
        status="withdrawn", subject__email__contains="+", subject__merged_into__isnull=True
    ).select_related("subject", "last_event")
    for state in tagged.iterator(chunk_size=2000):
        if plain := untagged(state.subject.email):
            opt_outs[plain, state.purpose_id].append(state)
    addresses = sorted({plain for plain, _purpose in opt_outs})
    now = timezone.now()
    withdrawals = []
    for start in range(0, len(addresses), CHUNK):
        given = ConsentState.objects.filter(
            status="given", subject__email__in=addresses[start : start + CHUNK]
        ).select_related("subject")
        for state in given:
            later = [
                o for o in opt_outs[state.subject.email, state.purpose_id] if o.since > state.since
            ]
            if not later:
                continue
            first = min(later, key=lambda o: (o.since, o.last_event_id))
            withdrawals.append(
                ConsentEvent(
                    subject_id=state.subject_id,
                    purpose_id=state.purpose_id,
                    purpose_version_id=first.last_event.purpose_version_id,
                    action="withdrawn",
                    occurred_at=first.since,
                    recorded_at=now,
                    method=first.last_event.method,
                    reference=f"Afmelding onder het +tag-adres (gebeurtenis #{first.last_event_id})",
                )
            )
    for event in ConsentEvent.objects.bulk_create(withdrawals, batch_size=CHUNK):
        ConsentState.objects.filter(
            subject_id=event.subject_id, purpose_id=event.purpose_id
        ).update(status="withdrawn", since=event.occurred_at, last_event_id=event.pk)


class Migration(migrations.Migration):
    dependencies = [("consents", "0010_merge_0009_admin_list_indexes_0009_subject_phone_e164")]

    operations = [
        migrations.RunPython(withdraw_plain_addresses, migrations.RunPython.noop, elidable=False)
    ]
