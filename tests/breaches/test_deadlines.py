"""The 72-hour clock against every worked example of LEGAL.md §5, and its invariants."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from breaches.deadlines import (
    AMSTERDAM,
    hours_mark,
    in_amsterdam,
    is_late,
    notify_deadline,
    period_start,
    time_left,
)


def amsterdam(*args):
    return dt.datetime(*args, tzinfo=AMSTERDAM)


# aware (Amsterdam), period starts (Amsterdam), deadline (Amsterdam), its UTC offset in hours
EXAMPLES = [
    # plain
    (amsterdam(2026, 3, 2, 14, 20), amsterdam(2026, 3, 2, 15), amsterdam(2026, 3, 5, 15), 1),
    # on the hour; the clocks go forward on 29 March
    (amsterdam(2026, 3, 27, 9, 0), amsterdam(2026, 3, 27, 9), amsterdam(2026, 3, 30, 10), 2),
    # the clocks go back on 25 October
    (amsterdam(2026, 10, 23, 16, 45), amsterdam(2026, 10, 23, 17), amsterdam(2026, 10, 26, 16), 1),
    # Christmas does not move it
    (amsterdam(2026, 12, 24, 23, 59), amsterdam(2026, 12, 25, 0), amsterdam(2026, 12, 28, 0), 1),
]


@pytest.mark.parametrize(("aware", "starts", "deadline", "offset"), EXAMPLES)
def test_every_worked_example_of_the_legal_rules(aware, starts, deadline, offset):
    assert period_start(aware) == starts
    assert notify_deadline(aware) == deadline
    shown = in_amsterdam(notify_deadline(aware))
    assert (shown.year, shown.month, shown.day, shown.hour, shown.minute) == (
        deadline.year,
        deadline.month,
        deadline.day,
        deadline.hour,
        0,
    )
    assert shown.utcoffset() == dt.timedelta(hours=offset)


def test_the_spring_night_makes_the_wall_clock_show_73_hours():
    aware = amsterdam(2026, 3, 27, 9, 0)
    wall = in_amsterdam(notify_deadline(aware)).replace(tzinfo=None) - aware.replace(tzinfo=None)
    assert wall == dt.timedelta(hours=73)


def test_the_autumn_night_makes_the_wall_clock_show_71_hours():
    aware = amsterdam(2026, 10, 23, 16, 45)
    start = period_start(aware)
    wall = in_amsterdam(notify_deadline(aware)).replace(tzinfo=None) - in_amsterdam(start).replace(
        tzinfo=None
    )
    assert wall == dt.timedelta(hours=71)


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError):
        period_start(dt.datetime(2026, 3, 2, 14, 20))


def test_one_second_after_the_hour_starts_the_next_hour():
    assert period_start(amsterdam(2026, 3, 2, 14, 0, 1)) == amsterdam(2026, 3, 2, 15)


def test_filing_in_the_last_hour_is_on_time_and_a_minute_after_is_late():
    aware = amsterdam(2026, 3, 2, 14, 20)
    assert not is_late(aware, amsterdam(2026, 3, 5, 15, 0))
    assert is_late(aware, amsterdam(2026, 3, 5, 15, 1))


def test_the_reminder_marks_and_time_left():
    aware = amsterdam(2026, 3, 2, 14, 20)
    assert hours_mark(aware, 24) == amsterdam(2026, 3, 3, 15)
    assert hours_mark(aware, 66) == amsterdam(2026, 3, 5, 9)
    assert time_left(aware, amsterdam(2026, 3, 5, 14)) == dt.timedelta(hours=1)
    assert time_left(aware, amsterdam(2026, 3, 5, 16)) == dt.timedelta(hours=-1)


moments = st.datetimes(
    min_value=dt.datetime(2000, 1, 1),
    max_value=dt.datetime(2100, 1, 1),
    timezones=st.just(AMSTERDAM),
)


@given(moments)
def test_the_deadline_is_72_real_hours_after_the_start(aware):
    assert notify_deadline(aware).astimezone(dt.UTC) - period_start(aware).astimezone(
        dt.UTC
    ) == dt.timedelta(hours=72)


@given(moments)
def test_the_period_starts_at_or_after_awareness_within_the_hour(aware):
    start = period_start(aware)
    assert start >= aware
    assert start - aware < dt.timedelta(hours=1)
    assert (start.minute, start.second, start.microsecond) == (0, 0, 0)
    assert in_amsterdam(start).minute == 0


@given(moments)
def test_a_moment_on_the_hour_starts_the_period_then(aware):
    on_the_hour = aware.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    assert period_start(on_the_hour) == on_the_hour
