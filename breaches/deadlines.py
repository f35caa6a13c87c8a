"""The 72-hour clock of a personal-data breach: pure functions, an aware moment in, moments out.

Regulation (EEC, Euratom) No 1182/71 art. 3(1) and 3(2)(a): the moment of awareness
does not fall within the period; a period in hours starts at the beginning of the first hour and
ends when its last hour expires. So the period starts at the first full hour at or after the moment
of awareness (a moment exactly on the hour starts it then — the earlier, safe reading) and ends 72
real hours later. Weekends and holidays do not move it (art. 3(4) leaves periods in hours alone).
The arithmetic is done in UTC, so that a night on which the clocks change is 23 or 25 hours long
on the wall clock and still 72 hours on the stopwatch; Europe/Amsterdam is for showing only.
"""

import datetime as dt
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOTIFY_WITHIN = dt.timedelta(hours=72)
# Hours after the period starts at which the team is reminded, and the one that escalates.
REMINDER_HOURS = (24, 48, 60)
ESCALATION_HOURS = 66


def _utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("an aware datetime is needed: a naive one has no place on the clock")
    return moment.astimezone(dt.UTC)


def period_start(aware_at: dt.datetime) -> dt.datetime:
    """The first full hour at or after the moment of awareness, in UTC.

    Every offset of Europe/Amsterdam is a whole number of hours, so the full hour in UTC is the full
    hour on the Amsterdam clock too."""
    moment = _utc(aware_at)
    hour = moment.replace(minute=0, second=0, microsecond=0)
    return hour if hour == moment else hour + dt.timedelta(hours=1)


def notify_deadline(aware_at: dt.datetime) -> dt.datetime:
    """When the 72 hours of Art. 33(1) GDPR expire, in UTC."""
    return period_start(aware_at) + NOTIFY_WITHIN


def hours_mark(aware_at: dt.datetime, hours: int) -> dt.datetime:
    """The moment `hours` real hours into the period (a reminder's time), in UTC."""
    return period_start(aware_at) + dt.timedelta(hours=hours)


def time_left(aware_at: dt.datetime, now: dt.datetime) -> dt.timedelta:
    """What is left of the 72 hours at `now`; negative once they have expired."""
    return notify_deadline(aware_at) - _utc(now)


def is_late(aware_at: dt.datetime, filed_at: dt.datetime) -> bool:
    """Filed after the last hour expired: the notification must give the reasons for the delay."""
    return _utc(filed_at) > notify_deadline(aware_at)


def in_amsterdam(moment: dt.datetime) -> dt.datetime:
    """The moment on the Amsterdam wall clock, for showing it."""
    return _utc(moment).astimezone(AMSTERDAM)
