"""A general objection (Art. 21(1) GDPR) to processing based on a legitimate interest: the privacy
officer decides it, with the balancing recorded. Upheld, the processing stops (the checklist has a
task per activity resting on a legitimate interest, and the request completes when they are done);
refused — compelling legitimate grounds that override the person's interests, or the
establishment, exercise or defence of legal claims — the rejection letter gives the reasons and
the remedies. (An objection to direct marketing is another kind: it has no balancing and cannot
be refused, Art. 21(3).)"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from requests_desk.models import DataSubjectRequest, EventKind, ObjectionDecision, RequestKind
from requests_desk.services.common import (
    request_lock,
    require_open,
    require_permission,
    timeline_add,
)
from requests_desk.services.status import request_reject

DECIDE_OBJECTION = "requests_desk.decide_objection"


@transaction.atomic
def objection_decide(
    *, request: DataSubjectRequest, decision: str, balancing: str, by
) -> DataSubjectRequest:
    """Record the privacy officer's decision on a general objection and its balancing; a refusal
    closes the request with the rejection letter, whose reasons are the balancing."""
    require_permission(by, DECIDE_OBJECTION, _("Alleen de privacy officer beslist op een bezwaar."))
    request = request_lock(request)
    require_open(request)
    if request.kind != RequestKind.OBJECTION:
        raise ValidationError(
            _("Alleen op een bezwaar tegen verwerking (art. 21 lid 1) wordt zo beslist."),
            code="kind",
        )
    if request.objection_decision:
        raise ValidationError(_("Op dit bezwaar is al beslist."), code="decided")
    if decision not in ObjectionDecision.values:
        raise ValidationError(_("Kies een besluit."), code="decision")
    if not balancing.strip():
        raise ValidationError(
            _("Leg de belangenafweging vast (art. 21 lid 1 AVG)."), code="balancing"
        )
    request.objection_decision, request.objection_balancing = decision, balancing.strip()
    request.save(update_fields=["objection_decision", "objection_balancing"])
    label = ObjectionDecision(decision).label
    timeline_add(
        request, EventKind.OBJECTION_DECIDED, by, f"{label}\n{balancing.strip()}", decision=decision
    )
    if decision != ObjectionDecision.UPHELD:
        request_reject(request=request, reasons=f"{label}.\n\n{balancing.strip()}", by=by)
    return request
