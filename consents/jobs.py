"""The consents' job: the soft opt-in expiry. Bulk and idempotent: an expired consent is no longer
`given`, so a second run writes nothing."""

import calendar
import datetime as dt

from django.utils import timezone

from consents.models import Action, ConsentState, Method, PurposeBasis
from consents.services import consents_record

SOFT_OPT_IN_YEARS = 2


def years_before(day: dt.date, years: int) -> dt.date:
    """The same date `years` years earlier, or the month's last day when it has no such date
    (29 February)."""
    year = day.year - years
    return dt.date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))


def soft_opt_in_expire(*, today: dt.date | None = None) -> int:
    """Two years after the last purchase or the end of a subscription, the soft opt-in for
    e-mail marketing lapses (Telecommunicatiewet art. 11.7; the privacy statement)."""
    today = today or timezone.localdate()
    limit = years_before(today, SOFT_OPT_IN_YEARS)
    lapsed = ConsentState.objects.filter(
        status=Action.GIVEN,
        purpose__legal_basis=PurposeBasis.SOFT_OPT_IN,
        subject__customer_until__lt=limit,
    ).values_list("subject_id", "purpose_id")
    events = consents_record(
        pairs=list(lapsed), action=Action.EXPIRED, method=Method.SYSTEM, reference="soft-opt-in"
    )
    return len(events)
