"""The operations of the request desk. Every change to a request goes through one of these
functions: each checks the rules, runs in a transaction, writes the timeline and queues the letter
the change causes (into the outbox, in the same transaction).

`by` is the user acting; None means the system itself (the public web form, a Celery job).
"""

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from consents.services import subject_get_or_create
from requests_desk import workflow
from requests_desk.checklist import tasks_for
from requests_desk.deadlines import extended_months_after, months_after
from requests_desk.default_letters import LETTERS as DEFAULT_LETTERS
from requests_desk.letters import render_letter
from requests_desk.models import (
    CLOSED_STATUSES,
    DataSubjectRequest,
    EventKind,
    IdentityMethod,
    IdentityStatus,
    LetterKind,
    LetterTemplate,
    OutboxMessage,
    ReferenceCounter,
    RequestEvent,
    RequestKind,
    RequestTask,
    Status,
    target_on_for,
)

log = logging.getLogger(__name__)
EXTEND = "requests_desk.extend_datasubjectrequest"
OVERRIDE = "requests_desk.override_open_tasks"
MAX_EXTENSION_MONTHS = 2


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


def _send_soon(message_id: int) -> None:
    """Hand the letter to a worker once the change is committed. When the broker is down the
    letter stays queued in the outbox and the periodic sweep sends it later: nothing is lost."""
    from requests_desk.tasks import send_outbox_message

    try:
        send_outbox_message.delay(message_id)
    except Exception:  # noqa: BLE001 — the broker is unreachable; the sweep will send it
        log.warning("broker unreachable; outbox message %s waits for the sweep", message_id)


def _event(request, kind, by, text="", **data) -> RequestEvent:
    return RequestEvent.objects.create(request=request, kind=kind, by=by, text=text, data=data)


def _require(user, permission: str, message: str) -> None:
    if user is not None and not user.has_perm(permission):
        raise ValidationError(message, code="not_permitted")


def _lock(request: DataSubjectRequest) -> DataSubjectRequest:
    """Lock the request's row until the transaction ends and bring the caller's instance up to
    date, so two agents acting at once are served one after the other, on fresh data."""
    DataSubjectRequest.objects.select_for_update().filter(pk=request.pk).values_list("pk").get()
    request.refresh_from_db()
    return request


def _require_open(request) -> None:
    if not request.is_open:
        raise ValidationError(
            _("Dit verzoek is al afgesloten (%(status)s).")
            % {"status": request.get_status_display()},
            code="closed",
        )


def letter_preview(*, request: DataSubjectRequest, kind: str, **extra) -> tuple[str, str]:
    """The letter as the requester would receive it: (subject, body)."""
    if kind not in DEFAULT_LETTERS:
        raise ValidationError(
            _("Er is geen briefsjabloon '%(kind)s'.") % {"kind": kind}, code="no_template"
        )
    subject, body = DEFAULT_LETTERS[kind]
    template, _created = LetterTemplate.objects.get_or_create(
        kind=kind, defaults={"subject": subject, "body": body}
    )
    return render_letter(template, request, **extra)


@transaction.atomic
def letter_send(
    *, request: DataSubjectRequest, kind: str, by=None, scrub_after_send: bool = False, **extra
) -> OutboxMessage:
    """Queue a letter to the requester and record it on the timeline. Letters go by e-mail; a
    request without an e-mail address gets its letter printed by the agent (the timeline says so).
    With `scrub_after_send` the address and body are removed from the outbox once sent."""
    subject, body = letter_preview(request=request, kind=kind, **extra)
    if not request.requester_email:
        raise ValidationError(
            _("Deze verzoeker heeft geen e-mailadres: verstuur de brief per post."),
            code="no_email",
        )
    message = OutboxMessage.objects.create(
        request=request,
        letter_kind=kind,
        to=request.requester_email,
        subject=subject,
        body=body,
        scrub_after_send=scrub_after_send,
    )
    transaction.on_commit(lambda: _send_soon(message.pk))
    _event(
        request,
        EventKind.LETTER,
        by,
        subject,
        letter=kind,
        outbox_id=message.pk,
    )
    return message


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
        requester_address=requester_address,
        description=description,
        subject=subject,
        received_at=received_at,
        due_on=months_after(received_on, 1),
        target_on=target_on_for(kind, received_on),
    )
    RequestTask.objects.bulk_create(tasks_for(request))
    _event(request, EventKind.OPENED, opened_by, channel=channel)
    if request.requester_email:
        letter_send(request=request, kind=LetterKind.ACKNOWLEDGEMENT, by=opened_by)
    return request


@transaction.atomic
def request_assign(*, request: DataSubjectRequest, assignee, by) -> DataSubjectRequest:
    """Give the request to an agent (or the privacy officer); None puts it back in the pool."""
    _lock(request)
    _require_open(request)
    if assignee is not None and not assignee.has_perm(workflow.WORK):
        raise ValidationError(
            _("%(name)s kan geen verzoeken behandelen.") % {"name": assignee}, code="assignee"
        )
    request.assignee = assignee
    request.save(update_fields=["assignee"])
    _event(
        request, EventKind.ASSIGNED, by, str(assignee or ""), assignee=getattr(assignee, "pk", None)
    )
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
    _lock(request)
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
    _event(
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


@transaction.atomic
def request_verify_identity(*, request: DataSubjectRequest, method: str, by) -> DataSubjectRequest:
    """Record that, and how, the requester's identity was checked (Art. 12(6) GDPR). No copy of an
    identity document is ever kept: only the method is recorded. A new request then goes into
    progress."""
    _lock(request)
    _require_open(request)
    if method not in IdentityMethod.values:
        raise ValidationError(_("Kies hoe de identiteit is gecontroleerd."), code="method")
    if request.identity_verified:
        raise ValidationError(_("De identiteit is al gecontroleerd."), code="already_verified")
    request.identity_status = IdentityStatus.VERIFIED
    request.identity_method = method
    request.identity_verified_by = by
    request.identity_verified_at = timezone.now()
    fields = ["identity_status", "identity_method", "identity_verified_by", "identity_verified_at"]
    if request.status in (Status.NEW, Status.IDENTITY_PENDING):
        request.status = Status.IN_PROGRESS
        fields.append("status")
    request.save(update_fields=fields)
    _event(request, EventKind.IDENTITY, by, str(IdentityMethod(method).label), method=method)
    return request


def _move(request, transition: workflow.Transition, by, note="", **letter_extra) -> None:
    previous = request.status
    request.status = transition.target
    fields = ["status"]
    if transition.target in CLOSED_STATUSES:
        request.closed_at = timezone.now()
        fields.append("closed_at")
    request.save(update_fields=fields + ["outcome"])
    _event(request, EventKind.STATUS, by, note, source=previous, target=transition.target)
    if transition.letter and request.requester_email:
        letter_send(request=request, kind=transition.letter, by=by, **letter_extra)


@transaction.atomic
def request_transition(
    *, request: DataSubjectRequest, action: str, by, note: str = ""
) -> DataSubjectRequest:
    """Take one of the plain actions of the workflow table (ask for identity, start, wait for the
    requester, resume, withdraw). Completing and rejecting have their own services."""
    if action in ("complete", "reject"):
        raise ValidationError(_("Gebruik afronden of afwijzen."), code="use_service")
    request = DataSubjectRequest.objects.select_for_update().get(pk=request.pk)
    transition = workflow.check(request, action, by)
    _move(request, transition, by, note)
    return request


@transaction.atomic
def request_extend(*, request: DataSubjectRequest, reason: str, by, months: int = 2):
    """Extend the statutory deadline by at most two further months (Art. 12(3) GDPR): only the
    privacy officer, only once, only within the first month, with the reasons, and the requester
    is told at once (the extension letter). The new date is the earlier reading of "two further
    months" (LEGAL.md §1.5, `extended_months_after`)."""
    _require(by, EXTEND, _("Alleen de privacy officer mag een termijn verlengen."))
    request = DataSubjectRequest.objects.select_for_update().get(pk=request.pk)
    _require_open(request)
    if request.extended_due_on:
        raise ValidationError(_("De termijn is al eens verlengd."), code="already_extended")
    if not 1 <= months <= MAX_EXTENSION_MONTHS:
        raise ValidationError(_("Verlengen kan met ten hoogste twee maanden."), code="too_long")
    today = timezone.localdate()
    if today > request.due_on:
        raise ValidationError(
            _(
                "De eerste maand is voorbij (termijn %(due)s): verlengen kan alleen binnen de "
                "eerste maand."
            )
            % {"due": request.due_on.isoformat()},
            code="too_late",
        )
    if not reason.strip():
        raise ValidationError(_("Geef de reden van de verlenging."), code="reason")
    request.extended_due_on = extended_months_after(request.received_on, months)
    request.extension_reason = reason.strip()
    request.extension_told_on = today
    request.save(update_fields=["extended_due_on", "extension_reason", "extension_told_on"])
    _event(
        request,
        EventKind.EXTENDED,
        by,
        reason,
        extended_due_on=request.extended_due_on.isoformat(),
    )
    if request.requester_email:
        letter_send(request=request, kind=LetterKind.EXTENSION, by=by)
    return request


@transaction.atomic
def request_reject(*, request: DataSubjectRequest, reasons: str, by) -> DataSubjectRequest:
    """Refuse to act (Art. 12(4) GDPR): only the privacy officer, with the reasons; the letter
    tells the requester why and that they may complain to the Autoriteit Persoonsgegevens."""
    request = DataSubjectRequest.objects.select_for_update().get(pk=request.pk)
    transition = workflow.check(request, "reject", by)
    if not reasons.strip():
        raise ValidationError(_("Geef de redenen van de afwijzing."), code="reasons")
    request.outcome = reasons.strip()
    _move(request, transition, by, reasons, redenen=reasons.strip())
    return request


@transaction.atomic
def request_complete(
    *, request: DataSubjectRequest, by, outcome: str, override_reason: str = ""
) -> DataSubjectRequest:
    """Close the request as done, with its outcome, and send the completion letter. Every task of
    the checklist must be ticked off; only the privacy officer may close with open tasks, and
    then with a reason."""
    request = DataSubjectRequest.objects.select_for_update().get(pk=request.pk)
    transition = workflow.check(request, "complete", by)
    if not outcome.strip():
        raise ValidationError(_("Beschrijf de uitkomst."), code="outcome")
    open_tasks = request.tasks.filter(done_at__isnull=True).count()
    if open_tasks:
        if not override_reason.strip():
            raise ValidationError(
                _("Er staan nog %(count)s open taken; vink ze eerst af.") % {"count": open_tasks},
                code="open_tasks",
            )
        _require(by, OVERRIDE, _("Alleen de privacy officer mag afronden met open taken."))
        _event(request, EventKind.OVERRIDE, by, override_reason, open_tasks=open_tasks)
    request.outcome = outcome.strip()
    _move(request, transition, by)
    return request


@transaction.atomic
def request_note(*, request: DataSubjectRequest, text: str, by) -> RequestEvent:
    """Add a note to the timeline."""
    if not text.strip():
        raise ValidationError(_("Een notitie mag niet leeg zijn."), code="empty")
    return _event(request, EventKind.NOTE, by, text.strip())


@transaction.atomic
def task_complete(*, task: RequestTask, by) -> RequestTask:
    """Tick off one task of the checklist."""
    task = RequestTask.objects.select_for_update().select_related("request").get(pk=task.pk)
    _require_open(task.request)
    if task.is_done:
        raise ValidationError(_("Deze taak is al afgevinkt."), code="done")
    task.done_at, task.done_by = timezone.now(), by
    task.save(update_fields=["done_at", "done_by"])
    _event(task.request, EventKind.TASK_DONE, by, task.title, task=task.pk)
    return task


@transaction.atomic
def task_reopen(*, task: RequestTask, by) -> RequestTask:
    """Untick a task that was ticked by mistake."""
    task = RequestTask.objects.select_for_update().select_related("request").get(pk=task.pk)
    _require_open(task.request)
    if not task.is_done:
        raise ValidationError(_("Deze taak staat nog open."), code="open")
    task.done_at, task.done_by = None, None
    task.save(update_fields=["done_at", "done_by"])
    _event(task.request, EventKind.TASK_REOPENED, by, task.title, task=task.pk)
    return task
