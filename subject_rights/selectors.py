"""What the desk's request page shows of the rights."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.start_page import Item, Section, section
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


# Restrictions whose announced lifting falls within this many days are shown.
LIFT_NEAR_DAYS = 7


def start_page_sections(*, user, now) -> list[Section]:
    """The announced liftings of a restriction (Art. 18(3) GDPR) that are due within a week,
    or past due (the job lifts them; one still here means the job did not)."""
    if not user.has_perm("subject_rights.view_restrictionlift"):
        return []
    today = timezone.localdate(now)

    def lift_item(lift) -> Item:
        late = lift.lift_on < today
        text = _("opheffing was gepland op %(date)s") if late else _("opheffen op %(date)s")
        return Item(
            label=lift.request.reference,
            detail=text % {"date": date_format(lift.lift_on)},
            url=reverse("desk:detail", args=[lift.request.reference]),
            level="bad" if late else "warn",
        )

    lifts = (
        RestrictionLift.objects.filter(
            lifted_at__isnull=True, lift_on__lte=today + dt.timedelta(days=LIFT_NEAR_DAYS)
        )
        .select_related("request")
        .order_by("lift_on", "pk")
    )
    return [
        section(
            key="restrictions",
            title=_("Beperkingen om op te heffen"),
            rows=lifts,
            item=lift_item,
            all_url=reverse("admin:consents_datasubject_changelist") + "?is_restricted__exact=1",
            all_label=_("Alle betrokkenen met een beperking"),
        )
    ]
