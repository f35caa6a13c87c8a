"""Deadline arithmetic for data subjects' requests: pure functions, dates in, a date out.

How a period is counted (Regulation (EEC, Euratom) No 1182/71 art. 3): the day of receipt never
counts. A period of months ends on the same date in the later month, or on that month's last day
when it has no such date; a period of weeks on the same weekday; and when such a period ends on a
Saturday, Sunday or public holiday it ends on the next working day. A period of working days
counts working days only, the first being the first working day after the day of receipt.

Which days are not working days: Saturdays, Sundays and the *algemeen erkende feestdagen* of the
Algemene termijnenwet art. 3(1) — New Year's Day, Easter Monday, Ascension Day, Whit Monday,
Christmas Day, Boxing Day, King's Day and 5 May every year. Good Friday and the days a Royal
Decree equates with the holidays are working days here: whether they reach a GDPR period is
unsettled, and counting them as working days gives the earlier date in every case, which is the
safe one for a controller.

The statutory deadline is one month from receipt (Art. 12(3) GDPR), `months_after`. Two further
months (`extended_months_after`) end on the earlier of the two readings — three months from
receipt, or two months from the unrolled end of the first month — then on the next working day
when that day is not one.

The company's own promises ("uiterlijk binnen vier weken", "binnen twintig werkdagen") are
targets, not periods of EU law, and are never pushed later: a four-week target is
the same weekday four weeks later or the last working day before it (`weeks_target_after`); a
twenty-working-day target is the twentieth working day after receipt (`working_days_after`).
"""

import calendar
import datetime as dt
from functools import cache

import holidays
from dateutil.easter import easter

from requests_desk.models import OPT_OUT_KINDS, RequestKind

SATURDAY = 5
# The days a Royal Decree equates with the holidays under Atw art. 3(3), "voor de toepassing van
# deze wet". Working days here: see `public_holidays`.
ROYAL_DECREE_DAYS = frozenset(
    dt.date.fromisoformat(day)
    for day in ("2026-01-02", "2026-05-15", "2027-05-07", "2028-04-28", "2028-05-26")
)


@cache
def public_holidays(year: int) -> frozenset[dt.date]:
    """The holidays of one year: `holidays.Netherlands`, corrected in its two differences.

    Good Friday and the Royal-Decree days are working days: the Algemene termijnenwet equates
    them with the holidays only "voor de toepassing van deze wet"; whether that reaches a GDPR
    period is unsettled; counting them as working days gives the earlier date in every case, which
    is the safe one for a controller. 5 May is a holiday every year, not only every fifth year as
    the package has it.
    """
    days = set(holidays.Netherlands(years=year)) - ROYAL_DECREE_DAYS
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


def previous_working_day(day: dt.date) -> dt.date:
    """The last working day before `day`."""
    day -= dt.timedelta(days=1)
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def working_day_on_or_before(day: dt.date) -> dt.date:
    """`day` itself when it is a working day, else the last one before it (a promise's target)."""
    return day if is_working_day(day) else previous_working_day(day)


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


def extended_months_after(received: dt.date, further: int) -> dt.date:
    """The end of the statutory period extended by `further` months (Art. 12(3) GDPR, "two
    further months"): the earlier of (a) 1 + `further` months from the day of receipt and (b)
    `further` months from the unrolled end of the first month, then, when that day is not a
    working day, the next working day."""
    from_receipt = same_date_months_later(received, 1 + further)
    from_first_month = same_date_months_later(same_date_months_later(received, 1), further)
    return working_day_on_or_after(min(from_receipt, from_first_month))


def weeks_after(received: dt.date, weeks: int) -> dt.date:
    """The last day of a period of `weeks` weeks under 1182/71: the same weekday, rolled forward
    to a working day. Not for the company's promise of four weeks: see `weeks_target_after`."""
    return working_day_on_or_after(received + dt.timedelta(weeks=weeks))


def weeks_target_after(received: dt.date, weeks: int) -> dt.date:
    """The target of a promise "within `weeks` weeks": the same weekday that many weeks later, or,
    when that day is not a working day, the last working day before it."""
    return working_day_on_or_before(received + dt.timedelta(weeks=weeks))


def working_days_after(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (the day of receipt itself never counts)."""
    day = start
    for _ in range(n):
        day = next_working_day(day)
    return day


def target_on_for(kind: str, received_on: dt.date) -> dt.date:
    """The date the company promised: access within four weeks, an opt-out within twenty working
    days, anything else within the statutory month. A promise is never pushed past its wording:
    four weeks ends on the last working day on or before the same weekday."""
    if kind == RequestKind.ACCESS:
        return weeks_target_after(received_on, 4)
    if kind in OPT_OUT_KINDS:
        return working_days_after(received_on, 20)
    return months_after(received_on, 1)
