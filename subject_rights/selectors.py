"""What the desk's request page shows of the rights."""

from requests_desk.services.answer import answer_waiting_for, where
from subject_rights.forms import RectificationForm
from subject_rights.models import AccessPackage, RestrictionLift
from subject_rights.services import ERASE, LIFT, PACKAGE_KINDS


def panel(*, request, user) -> dict:
    """The rights card of a request's page: the packages built, the restriction, the systems
    the answer still waits for, and which actions this user may take (four queries)."""
    from requests_desk.workflow import WORK

    can_work = user.has_perm(WORK) and request.is_open and request.identity_verified
    kind = request.kind
    subject = request.subject
    pending_lift = (
        RestrictionLift.objects.filter(subject=subject, lifted_at__isnull=True).first()
        if subject is not None and subject.is_restricted
        else None
    )
    answers = kind in (*PACKAGE_KINDS, "erasure") and request.is_open
    waiting = sorted({where(t) for t in answer_waiting_for(request)}) if answers else []
    return {
        "waiting_for": waiting,
        "packages": list(AccessPackage.objects.filter(request=request)[:5])
        if kind in PACKAGE_KINDS
        else [],
        "can_package": can_work
        and not waiting
        and kind in PACKAGE_KINDS
        and user.has_perm("subject_rights.add_accesspackage"),
        "can_rectify": can_work and kind == "rectification",
        "rectification_form": RectificationForm(),
        "can_erase": can_work and not waiting and kind == "erasure" and user.has_perm(ERASE),
        "is_restricted": bool(subject and subject.is_restricted),
        "is_erased": bool(subject and subject.erased_at),
        "can_restrict": can_work
        and kind == "restriction"
        and bool(subject)
        and not subject.is_restricted,
        "pending_lift": pending_lift,
        "can_lift": bool(subject and subject.is_restricted)
        and pending_lift is None
        and user.has_perm(LIFT),
    }
