"""The consents' job: the soft opt-in expiry. Bulk and idempotent: an expired consent is no longer
`given`, so a second run writes nothing; two runs at once are served one after the other (a job
lock), and each lapse is written once — its event names the consent that lapsed in its reference,
unique per lapse in the database (`consents_event_one_per_lapse`)."""

import calendar
import datetime as dt

from django.db import transaction
from django.utils import timezone

from consents.locks import job_lock
from consents.models import LAPSE_REFERENCE, Action, ConsentState, Method, PurposeBasis
from consents.services import consents_record

SOFT_OPT_IN_YEARS = 2


def years_before(day: dt.date, years: int) -> dt.date:
    """The same date `years` years earlier, or the month's last day when it has no such date
    (29 February)."""
    year = day.year - years
    return dt.date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))


@transaction.atomic
def soft_opt_in_expire(*, today: dt.date | None = None) -> int:
    """Two years after the last purchase or the end of a subscription, the soft opt-in for
    e-mail marketing lapses (Telecommunicatiewet art. 11.7; the privacy statement). Each lapse's
    event carries `soft-opt-in:<id of the event that gave it>` as its reference."""
    today = today or timezone.localdate()
    # Before the read: a second run waits for the first to commit, then finds nothing given.
    job_lock("consents-soft-opt-in-expiry")
    limit = years_before(today, SOFT_OPT_IN_YEARS)
    lapsed = ConsentState.objects.filter(
        status=Action.GIVEN,
        purpose__legal_basis=PurposeBasis.SOFT_OPT_IN,
        subject__customer_until__lt=limit,
    ).values_list("subject_id", "purpose_id", "last_event_id")
    references = {(s, p): f"{LAPSE_REFERENCE}{event}" for s, p, event in lapsed}
    events = consents_record(
        pairs=list(references),
        action=Action.EXPIRED,
        method=Method.SYSTEM,
        reference=LAPSE_REFERENCE.rstrip(":"),
        references=references,
    )
    return len(events)
