"""The breach register's jobs: the clock's reminders and escalation, and the bulk notice sent by
the workers. Both idempotent: a reminder is unique per breach and mark (`breach_reminder_once`);
an outbox message is locked while it is sent and marked sent once."""

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from breaches import deadlines, mail
from breaches.models import (
    Breach,
    BreachEvent,
    BreachEventKind,
    BreachReminder,
    BreachStatus,
    Decision,
    FilingKind,
    ReminderMark,
)
from breaches.services import _link, officers
from requests_desk.outbox import outbox_send

log = logging.getLogger(__name__)
MARKS = (*deadlines.REMINDER_HOURS, deadlines.ESCALATION_HOURS)


def reminders_due(*, now: dt.datetime):
    """The open breaches whose clock still runs and has passed its first mark: not filed with the
    AP, not decided 'no risk', aware at least 24 hours before `now` (one query, and one for
    their reminders)."""
    earliest_mark = now - dt.timedelta(hours=min(MARKS))
    return (
        Breach.objects.exclude(status=BreachStatus.CLOSED)
        .filter(aware_at__lte=earliest_mark)
        .exclude(assessment__decision=Decision.NO_RISK)
        .exclude(filings__kind=FilingKind.INITIAL)
        .prefetch_related("reminders")
    )


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """At 24, 48 and 60 hours remind the privacy officers; at 66 escalate (officers and
    `BREACHES_ESCALATION_TO`). Each mark is recorded once per breach, its mail in the same
    transaction; a mark passed while the job was not running is recorded without a mail of its
    own when a later mark has passed too (one mail, for the latest). Returns the marks recorded."""
    now = now or timezone.now()
    recorded = 0
    to_officers = [o.email for o in officers()]
    for breach in reminders_due(now=now):
        done = {r.hours for r in breach.reminders.all()}
        passed = [h for h in MARKS if deadlines.hours_mark(breach.aware_at, h) <= now]
        fresh = [h for h in passed if h not in done]
        for hours in fresh:
            latest = hours == max(passed)
            try:
                with transaction.atomic():
                    BreachReminder.objects.create(breach=breach, hours=hours, mailed=latest)
                    if latest:
                        _mail(breach, hours, to_officers)
            except IntegrityError:  # another worker recorded this mark at the same moment
                continue
            recorded += 1
    return recorded


def _mail(breach: Breach, hours: int, to_officers: list[str]) -> None:
    left = deadlines.time_left(breach.aware_at, timezone.now())
    escalation = hours == deadlines.ESCALATION_HOURS
    people = to_officers + (list(settings.BREACHES_ESCALATION_TO) if escalation else [])
    subject = (
        _("ESCALATIE datalek %(ref)s: nog %(h)s uur tot de meldtermijn")
        if escalation
        else _("Herinnering datalek %(ref)s: nog %(h)s uur tot de meldtermijn")
    ) % {"ref": breach.reference, "h": max(0, int(left.total_seconds() // 3600))}
    body = _(
        "%(title)s\n\nUiterste meldmoment bij de AP: %(deadline)s (%(mark)s na het begin van de "
        "termijn).\n\n%(link)s\n"
    ) % {
        "title": breach.title,
        "deadline": timezone.localtime(breach.notify_by).strftime("%d-%m-%Y %H:%M"),
        "mark": ReminderMark(hours).label,
        "link": _link(breach),
    }
    for to in dict.fromkeys(people):
        mail.queue_internal(to=to, subject=subject, body=body)
    BreachEvent.objects.create(
        breach=breach, kind=BreachEventKind.REMINDER, text=str(ReminderMark(hours).label)
    )


def notice_batch_send(*, message_ids: list[int]) -> int:
    """Send one batch of a bulk notice (each message locked while sent, marked sent once)."""
    return sum(outbox_send(message_id=pk) for pk in message_ids)
