"""A request's course: assigning it, the identity check, the moves of the workflow table,
the extension, the rejection, the completion, and notes on the timeline."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.events import publish
from requests_desk import workflow
from requests_desk.deadlines import extended_months_after
from requests_desk.models import (
    CLOSED_STATUSES,
    DataSubjectRequest,
    EventKind,
    IdentityMethod,
    IdentityStatus,
    LetterKind,
    ObjectionDecision,
    RequestEvent,
    RequestKind,
    Status,
)
from requests_desk.services.common import (
    EXTEND,
    OVERRIDE,
    request_lock,
    require_open,
    require_permission,
    timeline_add,
)
from requests_desk.services.letters import letter_queue

MAX_EXTENSION_MONTHS = 2


@transaction.atomic
def request_assign(*, request: DataSubjectRequest, assignee, by) -> DataSubjectRequest:
    """Give the request to an agent (or the privacy officer); None puts it back in the pool."""
    request_lock(request)
    require_open(request)
    if assignee is not None and not assignee.has_perm(workflow.WORK):
        raise ValidationError(
            _("%(name)s kan geen verzoeken behandelen.") % {"name": assignee}, code="assignee"
        )
    request.assignee = assignee
    request.save(update_fields=["assignee"])
    timeline_add(
        request, EventKind.ASSIGNED, by, str(assignee or ""), assignee=getattr(assignee, "pk", None)
    )
    return request


@transaction.atomic
def request_verify_identity(*, request: DataSubjectRequest, method: str, by) -> DataSubjectRequest:
    """Record that, and how, the requester's identity was checked (Art. 12(6) GDPR). No copy of an
    identity document is ever kept: only the method is recorded. A new request then goes into
    progress."""
    request_lock(request)
    require_open(request)
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
    timeline_add(request, EventKind.IDENTITY, by, str(IdentityMethod(method).label), method=method)
    return request


def _move(request, transition: workflow.Transition, by, note="", **letter_extra) -> None:
    previous = request.status
    request.status = transition.target
    fields = ["status"]
    if transition.target in CLOSED_STATUSES:
        request.closed_at = timezone.now()
        fields.append("closed_at")
    request.save(update_fields=fields + ["outcome"])
    timeline_add(request, EventKind.STATUS, by, note, source=previous, target=transition.target)
    if transition.target == Status.COMPLETED:
        publish("request.completed", [{"request_id": request.pk}])
    if transition.letter:  # by e-mail, or into the "to post" queue: never silent
        letter_queue(request=request, kind=transition.letter, by=by, **letter_extra)


@transaction.atomic
def request_transition(
    *, request: DataSubjectRequest, action: str, by, note: str = "", outcome: str = ""
) -> DataSubjectRequest:
    """Take one of the plain actions of the workflow table (ask for identity, start, wait for the
    requester, resume, withdraw). Completing and rejecting have their own services. An `outcome`
    is recorded with the move (the close-out says why it withdrew a request)."""
    if action in ("complete", "reject"):
        raise ValidationError(_("Gebruik afronden of afwijzen."), code="use_service")
    request = request_lock(request)
    transition = workflow.check(request, action, by)
    if outcome:
        request.outcome = outcome.strip()
    _move(request, transition, by, note)
    return request


@transaction.atomic
def request_extend(*, request: DataSubjectRequest, reason: str, by, months: int = 2):
    """Extend the statutory deadline by at most two further months (Art. 12(3) GDPR): only the
    privacy officer, only once, only within the first month, with the reasons, and the requester
    is told at once (the extension letter). The new date is the earlier reading of "two further
    months" (`extended_months_after`)."""
    require_permission(by, EXTEND, _("Alleen de privacy officer mag een termijn verlengen."))
    request = request_lock(request)
    require_open(request)
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
    timeline_add(
        request,
        EventKind.EXTENDED,
        by,
        reason,
        extended_due_on=request.extended_due_on.isoformat(),
    )
    letter_queue(request=request, kind=LetterKind.EXTENSION, by=by)
    return request


@transaction.atomic
def request_reject(*, request: DataSubjectRequest, reasons: str, by) -> DataSubjectRequest:
    """Refuse to act (Art. 12(4) GDPR): only the privacy officer, with the reasons; the letter
    tells the requester why and that they may complain to the Autoriteit Persoonsgegevens."""
    request = request_lock(request)
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
    request = request_lock(request)
    transition = workflow.check(request, "complete", by)
    require_objection_upheld(request)
    if not outcome.strip():
        raise ValidationError(_("Beschrijf de uitkomst."), code="outcome")
    open_tasks = request.tasks.filter(done_at__isnull=True).count()
    if open_tasks:
        if not override_reason.strip():
            raise ValidationError(
                _("Er staan nog %(count)s open taken; vink ze eerst af.") % {"count": open_tasks},
                code="open_tasks",
            )
        require_permission(
            by, OVERRIDE, _("Alleen de privacy officer mag afronden met open taken.")
        )
        timeline_add(request, EventKind.OVERRIDE, by, override_reason, open_tasks=open_tasks)
    request.outcome = outcome.strip()
    _move(request, transition, by)
    return request


def require_objection_upheld(request: DataSubjectRequest) -> None:
    """A general objection completes only once the officer has upheld it."""
    if request.kind == RequestKind.OBJECTION and request.objection_decision != (
        ObjectionDecision.UPHELD
    ):
        raise ValidationError(
            _("De privacy officer beslist eerst op het bezwaar, met de belangenafweging."),
            code="objection_undecided",
        )


@transaction.atomic
def request_note(*, request: DataSubjectRequest, text: str, by) -> RequestEvent:
    """Add a note to the timeline."""
    if not text.strip():
        raise ValidationError(_("Een notitie mag niet leeg zijn."), code="empty")
    return timeline_add(request, EventKind.NOTE, by, text.strip())
