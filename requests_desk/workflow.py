"""The state machine of a request, in one table: which action moves a request from which statuses
to which, who may take it, and which letter it sends.

The services refuse what the table does not allow (`check`); the desk shows a button for what
`actions_for` returns; the tests are parametrised from `TRANSITIONS`.

    new ──ask_identity──▶ identity_pending
    new / identity_pending ──(identity verified)──▶ in_progress
    in_progress ──await_requester──▶ awaiting_requester ──resume──▶ in_progress
    in_progress ──complete──▶ completed
    any open status ──reject──▶ rejected (privacy officer)      ──withdraw──▶ withdrawn
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from requests_desk.models import (
    OPEN_STATUSES,
    OPT_OUT_KINDS,
    LetterKind,
    ObjectionDecision,
    RequestKind,
    Status,
)

WORK = "requests_desk.change_datasubjectrequest"
REJECT = "requests_desk.reject_datasubjectrequest"


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    permission: str = WORK
    letter: str = ""


TRANSITIONS = (
    Transition(
        "ask_identity",
        _("Identiteit opvragen"),
        (Status.NEW,),
        Status.IDENTITY_PENDING,
        letter=LetterKind.IDENTITY_CHECK,
    ),
    Transition(
        "start",
        _("In behandeling nemen"),
        (Status.NEW, Status.IDENTITY_PENDING),
        Status.IN_PROGRESS,
    ),
    Transition(
        "await_requester",
        _("Wachten op verzoeker"),
        (Status.IN_PROGRESS,),
        Status.AWAITING_REQUESTER,
    ),
    Transition(
        "resume",
        _("Verder behandelen"),
        (Status.AWAITING_REQUESTER,),
        Status.IN_PROGRESS,
    ),
    Transition(
        "complete",
        _("Afronden"),
        (Status.IN_PROGRESS,),
        Status.COMPLETED,
        letter=LetterKind.COMPLETION,
    ),
    Transition(
        "reject",
        _("Afwijzen"),
        OPEN_STATUSES,
        Status.REJECTED,
        permission=REJECT,
        letter=LetterKind.REJECTION,
    ),
    Transition("withdraw", _("Intrekken (op verzoek)"), OPEN_STATUSES, Status.WITHDRAWN),
)
BY_ACTION = {transition.action: transition for transition in TRANSITIONS}


def check(request, action: str, user) -> Transition:
    """The transition for `action`, or a ValidationError saying why it is not allowed."""
    transition = BY_ACTION.get(action)
    if transition is None:
        raise ValidationError(_("Onbekende actie."), code="unknown_action")
    if request.status not in transition.sources:
        raise ValidationError(
            _("'%(action)s' kan niet bij een verzoek met status '%(status)s'."),
            code="forbidden_transition",
            params={"action": transition.label, "status": request.get_status_display()},
        )
    if user is not None and not user.has_perm(transition.permission):
        raise ValidationError(
            _("U mag '%(action)s' niet uitvoeren; dat mag alleen de privacy officer."),
            code="not_permitted",
            params={"action": transition.label},
        )
    # An opt-out only stops messages to the address or number given and discloses nothing: it
    # needs no identity check (Art. 12(6) GDPR asks for one only where the information is needed).
    if (
        transition.action == "start"
        and not request.identity_verified
        and request.kind not in OPT_OUT_KINDS
    ):
        raise ValidationError(
            _("Controleer eerst de identiteit van de verzoeker."), code="identity_unverified"
        )
    if transition.action == "reject":
        _check_refusable(request)
    return transition


def _check_refusable(request) -> None:
    """An objection to direct marketing cannot be refused: there is no balancing (Art. 21(3)
    GDPR). A general objection is refused only through the officer's decision with its balancing
    (Art. 21(1))."""
    if request.kind == RequestKind.OBJECTION_DIRECT_MARKETING:
        raise ValidationError(
            _(
                "Een bezwaar tegen direct marketing kan niet worden afgewezen (art. 21 lid 3 AVG): "
                "het wordt altijd uitgevoerd."
            ),
            code="objection_not_refusable",
        )
    if request.kind == RequestKind.OBJECTION and request.objection_decision in ("", None):
        raise ValidationError(
            _("Beslis op het bezwaar, met de belangenafweging; dan volgt de afwijzingsbrief."),
            code="objection_undecided",
        )
    if request.kind == RequestKind.OBJECTION and request.objection_decision == (
        ObjectionDecision.UPHELD
    ):
        raise ValidationError(
            _("Dit bezwaar is toegewezen: de verwerking stopt."), code="objection_upheld"
        )


def actions_for(request, user) -> list[Transition]:
    """The actions `user` may take on `request` now: the buttons the desk shows."""
    allowed = []
    for transition in TRANSITIONS:
        try:
            check(request, transition.action, user)
        except ValidationError:
            continue
        allowed.append(transition)
    return allowed
