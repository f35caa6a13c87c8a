"""The self-service pages as a source of personal data (subject_rights.sources): requests filed
on the public form whose e-mail address is not yet confirmed. They hold no history; erasure
deletes them."""

from django.db import transaction
from django.utils.translation import gettext_lazy

from consents.services import normalise_email
from consents.sources import Kept, Person, Source
from self_service.models import PendingSubmission


def _pending(person: Person):
    if not person.email:
        return PendingSubmission.objects.none()
    return PendingSubmission.objects.filter(email__iexact=person.email)


def export(person: Person) -> dict[str, list[dict]]:
    rows = [
        {
            "soort": p.get_kind_display(),
            "naam": p.name,
            "e-mailadres": p.email,
            "toelichting": p.details,
            "ingediend_op": p.created_at,
        }
        for p in _pending(person)
    ]
    return {"onbevestigde_verzoeken": rows} if rows else {}


def activities(person: Person) -> set[str]:
    return {"privacyverzoeken"} if _pending(person).exists() else set()


@transaction.atomic
def rectify(person: Person, *, changes: dict[str, str], by, reason: str) -> list[str]:
    updates = {}
    if changes.get("name", "").strip():
        updates["name"] = changes["name"].strip()
    if changes.get("email", "").strip():
        updates["email"] = normalise_email(changes["email"])
    if updates and _pending(person).update(**updates):
        return sorted(updates)
    return []


@transaction.atomic
def erase(person: Person, *, by, reason: str) -> list[Kept]:
    _pending(person).delete()
    return []


SOURCE = Source(
    key="zelfservice",
    label=gettext_lazy("Onbevestigde verzoeken via de website"),
    export=export,
    activities=activities,
    rectify=rectify,
    erase=erase,
)
