"""Taking a request in (the reference, the data subject, both clocks, the checklist, the
acknowledgement) and correcting the requester's contact details."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from consents.phones import normalise_phone
from consents.services import subject_get_or_create
from requests_desk.checklist import tasks_for
from requests_desk.deadlines import months_after, target_on_for
from requests_desk.models import (
    DataSubjectRequest,
    EventKind,
    LetterKind,
    ReferenceCounter,
    RequestKind,
    RequestTask,
)
from requests_desk.services.common import request_lock, timeline_add
from requests_desk.services.letters import letter_queue


def _next_reference(year: int) -> str:
    """AVG-YYYY-NNNNN, gap-free per year: the year's counter row is locked until the opening
    transaction ends, so a rolled-back request gives its number back."""
    try:
        with transaction.atomic():
            ReferenceCounter.objects.get_or_create(year=year)
    except IntegrityError:  # another request created the year's row at the same moment
        pass
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last = F("last") + 1
    counter.save(update_fields=["last"])
    counter.refresh_from_db(fields=["last"])
    return f"AVG-{year}-{counter.last:05d}"


@transaction.atomic
def request_open(
    *,
    kind: str,
    channel: str,
    requester_name: str,
    requester_email: str = "",
    requester_phone: str = "",
    requester_address: str = "",
    received_at: dt.datetime,
    description: str = "",
    opened_by=None,
) -> DataSubjectRequest:
    """Take in a request: match it to the data subject (or create one), start both clocks at
    receipt (Art. 12(3) GDPR; the clock does not wait for the identity check), build the task
    checklist from the register, and acknowledge receipt."""
    if kind not in RequestKind.values:
        raise ValidationError(_("Onbekende soort verzoek."), code="kind")
    if not requester_name.strip():
        raise ValidationError(_("Vul de naam van de verzoeker in."), code="name")
    if not (requester_email or requester_phone or requester_address).strip():
        raise ValidationError(
            _("Vul ten minste een e-mailadres, telefoonnummer of adres in."), code="contact"
        )
    if received_at > timezone.now():
        raise ValidationError(_("De ontvangstdatum ligt in de toekomst."), code="future")
    subject = None
    if requester_email:
        subject = subject_get_or_create(
            email=requester_email, name=requester_name, phone=requester_phone
        )
    received_on = timezone.localdate(received_at)
    request = DataSubjectRequest.objects.create(
        reference=_next_reference(received_on.year),
        kind=kind,
        channel=channel,
        requester_name=requester_name.strip(),
        requester_email=subject.email if subject else "",
        requester_phone=requester_phone,
        requester_phone_e164=normalise_phone(requester_phone),
        requester_address=requester_address,
        description=description,
        subject=subject,
        received_at=received_at,
        due_on=months_after(received_on, 1),
        target_on=target_on_for(kind, received_on),
    )
    RequestTask.objects.bulk_create(tasks_for(request))
    timeline_add(request, EventKind.OPENED, opened_by, channel=channel)
    # By e-mail, or by post when there is an address (a phone call was its own acknowledgement).
    if request.requester_email or request.requester_address:
        letter_queue(request=request, kind=LetterKind.ACKNOWLEDGEMENT, by=opened_by)
    return request


CONTACT_FIELDS = ("requester_name", "requester_email", "requester_phone", "requester_address")


@transaction.atomic
def request_correct_contact(
    *, request: DataSubjectRequest, by, **changes: str
) -> DataSubjectRequest:
    """Correct the requester's contact details (Art. 5(1)(d) GDPR, accuracy). A corrected e-mail
    address is matched to its data subject again; the timeline names the corrected fields (not
    their values)."""
    unknown = set(changes) - set(CONTACT_FIELDS)
    if unknown:
        raise ValueError(f"not contact fields: {sorted(unknown)}")
    request_lock(request)
    values = {field: (value or "").strip() for field, value in changes.items()}
    changed = [f for f in CONTACT_FIELDS if f in values and values[f] != getattr(request, f)]
    if not changed:
        return request
    for field in changed:
        setattr(request, field, values[field])
    if not request.requester_name:
        raise ValidationError(_("Vul de naam van de verzoeker in."), code="name")
    if not (request.requester_email or request.requester_phone or request.requester_address):
        raise ValidationError(
            _("Vul ten minste een e-mailadres, telefoonnummer of adres in."), code="contact"
        )
    fields = list(changed)
    if "requester_phone" in changed:
        request.requester_phone_e164 = normalise_phone(request.requester_phone)
        fields.append("requester_phone_e164")
    if "requester_email" in changed:
        request.subject = None
        if request.requester_email:
            request.subject = subject_get_or_create(
                email=request.requester_email,
                name=request.requester_name,
                phone=request.requester_phone,
            )
            request.requester_email = request.subject.email
        fields.append("subject")
    request.save(update_fields=fields)
    timeline_add(
        request,
        EventKind.NOTE,
        by,
        _("Contactgegevens gecorrigeerd: %(fields)s.")
        % {
            "fields": ", ".join(
                str(DataSubjectRequest._meta.get_field(f).verbose_name) for f in changed
            )
        },
        corrected=changed,
    )
    return request
