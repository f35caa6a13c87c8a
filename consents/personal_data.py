"""The consents app as a source of personal data (subject_rights.sources): the data subject's
row with its history, the current consent per purpose and the ledger.

Erasure blanks the subject and removes its history rows, but keeps the keyed hash of the e-mail
address (so an opt-out is still honoured when the person comes back) and the ledger, which holds
no personal data and must stay verifiable (Art. 7(1) GDPR: the controller shows consent)."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.events import publish
from consents import anchor
from consents.checkpoints import timestamp
from consents.models import ConsentEvent, ConsentState, DataSubject
from consents.phones import normalise_phone
from consents.services import email_hash, normalise_email
from consents.sources import Kept, Person, Source

DETAILS = ("name", "phone", "organisation", "function")


def _subject(person: Person) -> DataSubject | None:
    """The person's subject; for a spelling merged into another, the one it was merged into."""
    subject = None
    if person.subject is not None:
        subject = DataSubject.objects.filter(pk=person.subject.pk).first()
    elif person.email:
        subject = DataSubject.objects.filter(email_hash=email_hash(person.email)).first()
    if subject is not None and subject.merged_into_id:
        subject = DataSubject.objects.get(pk=subject.merged_into_id)
    return subject


def export(person: Person) -> dict[str, list[dict]]:
    subject = _subject(person)
    if subject is None or subject.erased_at:
        return {}
    states = ConsentState.objects.filter(subject=subject).select_related("purpose")
    events = (
        ConsentEvent.objects.filter(subject__in=subject.identity_ids())
        .select_related("purpose", "purpose_version")
        .order_by("sequence")
    )
    return {
        "betrokkene": [
            {
                "e-mailadres": subject.email,
                "naam": subject.name,
                "telefoon": subject.phone,
                "onderwijsorganisatie": subject.organisation,
                "functie": subject.function,
                "klant_tot": subject.customer_until,
                "verwerking_beperkt": subject.is_restricted,
                "aangemaakt_op": subject.created_at,
            }
        ],
        "toestemmingen": [
            {"doel": s.purpose.name, "status": s.get_status_display(), "sinds": s.since}
            for s in states
        ],
        "grootboek": [
            {
                "volgnummer": e.sequence,
                "doel": e.purpose.name,
                "handeling": e.get_action_display(),
                "gebeurd_op": e.occurred_at,
                "verzamelwijze": e.get_method_display(),
                "tekst": e.purpose_version.wording if e.purpose_version else "",
                "referentie": e.reference,
            }
            for e in events
        ],
    }


def receipts(person: Person) -> dict[str, dict]:
    """A consent receipt for each of the person's ledger events, with its inclusion proof
    against a signed checkpoint (`consents.receipts`): proof of every choice they made, which
    they can check themselves with tools/verify_receipt.py and the published public key."""
    from consents.receipts import consent_receipt

    subject = _subject(person)
    if subject is None or subject.erased_at:
        return {}
    events = (
        # Integrated events only: one still queued has no proof yet (seconds after recording).
        ConsentEvent.objects.filter(subject__in=subject.identity_ids(), sequence__isnull=False)
        .select_related("purpose__activity", "purpose_version")
        .order_by("sequence")
    )
    return {f"bewijs-{event.sequence}.json": consent_receipt(event) for event in events}


def activities(person: Person) -> set[str]:
    subject = _subject(person)
    if subject is None:
        return set()
    return set(
        ConsentEvent.objects.filter(subject__in=subject.identity_ids()).values_list(
            "purpose__activity__slug", flat=True
        )
    )


@transaction.atomic
def rectify(person: Person, *, changes: dict[str, str], by, reason: str) -> list[str]:
    """Correct the subject's details (Art. 16 GDPR); the history row carries the reason. A new
    e-mail address gets its own keyed hash; an address that belongs to someone else is refused."""
    subject = _subject(person)
    if subject is None or subject.erased_at:
        return []
    changed = []
    for name in DETAILS:
        if name in changes and changes[name].strip() != getattr(subject, name):
            setattr(subject, name, changes[name].strip())
            changed.append(name)
    new_email = normalise_email(changes.get("email", ""))
    if new_email and new_email != subject.email:
        try:
            validate_email(new_email)
        except ValidationError:
            raise ValidationError(_("Voer een geldig e-mailadres in."), code="email") from None
        digest = email_hash(new_email)
        if DataSubject.objects.filter(email_hash=digest).exclude(pk=subject.pk).exists():
            raise ValidationError(
                _("Dit e-mailadres hoort al bij een andere betrokkene."), code="email_taken"
            )
        subject.email, subject.email_hash = new_email, digest
        changed.append("email")
    if "phone" in changed:
        subject.phone_e164 = normalise_phone(subject.phone)
    if changed:
        subject._change_reason = reason
        subject.save()
    return changed


@transaction.atomic
def erase(person: Person, *, by, reason: str) -> list[Kept]:
    """Blank the subject, keep only the keyed hash; remove the subject's history rows."""
    subject = _subject(person)
    if subject is None:
        return []
    erased_at = subject.erased_at or timezone.now()
    # Written before the commit, not after: an erasure the store missed would come back with a
    # restore, while a record of one that then rolled back only erases, on a replay, a person who
    # asked for it.
    anchor.erasure_write(email_hash=subject.email_hash, erased_at=timestamp(erased_at))
    DataSubject.objects.filter(pk=subject.pk).update(
        email=None,
        name="",
        phone="",
        phone_e164="",
        organisation="",
        function="",
        customer_until=None,
        erased_at=erased_at,
    )
    # The history of the spellings merged into this subject (consents migration 0006) goes too.
    DataSubject.history.filter(id__in=subject.identity_ids()).delete()
    publish("subject.erased", [{"subject_id": subject.pk}])
    return [
        Kept(
            _("Sleutelhash van uw e-mailadres"),
            _(
                "Zodat een afmelding of bezwaar blijft gelden als uw adres ons opnieuw bereikt "
                "(art. 21 lid 3 AVG). Uit de hash is uw adres niet terug te halen."
            ),
        ),
        Kept(
            _("Het toestemmingsgrootboek (zonder naam of adres)"),
            _("Bewijs van gegeven en ingetrokken toestemming (art. 7 lid 1 AVG)."),
        ),
    ]


SOURCE = Source(
    key="toestemmingen",
    label=gettext_lazy("Toestemmingen en voorkeuren"),
    export=export,
    activities=activities,
    rectify=rectify,
    erase=erase,
    documents=receipts,
)
