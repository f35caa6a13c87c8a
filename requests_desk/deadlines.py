"""Deadline arithmetic for data subjects' requests: pure functions, dates in, a date out.

The rules are those of Regulation (EEC, Euratom) No 1182/71 art. 3 for how a
period is counted, and the Dutch Algemene termijnenwet (Atw) art. 3 for which days are not working
days. The day of receipt never counts. A period of months ends on the same date in the later month,
or on that month's last day when it has no such date; a period of weeks on the same weekday; and
when such a period ends on a Saturday, Sunday or public holiday it ends on the next working day. A
period of working days counts working days only, starting with the first one after the day of
receipt.
"""

import calendar
import datetime as dt
from functools import cache

import holidays
from dateutil.easter import easter

from requests_desk.models import OPT_OUT_KINDS, RequestKind

SATURDAY = 5


@cache
def public_holidays(year: int) -> frozenset[dt.date]:
    """The Atw holidays of one year: `holidays.Netherlands`, corrected in its two differences.

    Good Friday is a working day under the Atw, and Liberation Day (5 May) is a holiday every
    year, not only every fifth year as the package has it.
    """
    days = set(holidays.Netherlands(years=year))
    days.discard(easter(year) - dt.timedelta(days=2))
    days.add(dt.date(year, 5, 5))
    return frozenset(days)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < SATURDAY and day not in public_holidays(day.year)


def next_working_day(day: dt.date) -> dt.date:
    """The first working day after `day`."""
    day += dt.timedelta(days=1)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def working_day_on_or_after(day: dt.date) -> dt.date:
    """`day` itself when it is a working day, else the next one (art. 3(4) of 1182/71)."""
    return day if is_working_day(day) else next_working_day(day)


def same_date_months_later(received: dt.date, months: int) -> dt.date:
    """The unrolled end of a period of months: the same date, or the month's last day."""
    index = received.month - 1 + months
    year, month = received.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(received.day, calendar.monthrange(year, month)[1]))


def months_after(received: dt.date, months: int) -> dt.date:
    """The last day of a period of `months` months from the day of receipt (Art. 12(3) GDPR)."""
    return working_day_on_or_after(same_date_months_later(received, months))


def weeks_after(received: dt.date, weeks: int) -> dt.date:
    """The last day of a period of `weeks` weeks: the same weekday, rolled to a working day."""
    return working_day_on_or_after(received + dt.timedelta(weeks=weeks))


def working_days_after(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (the day of receipt itself never counts)."""
    day = start
    for _ in range(n):
        day = next_working_day(day)
    return day


def target_on_for(kind: str, received_on: dt.date) -> dt.date:
    """The date the company promised: access within four weeks, an opt-out within twenty working
    days, anything else within the statutory month."""
    if kind == RequestKind.ACCESS:
        return weeks_after(received_on, 4)
    if kind in OPT_OUT_KINDS:
        return working_days_after(received_on, 20)
    return months_after(received_on, 1)
