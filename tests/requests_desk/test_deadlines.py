"""The deadline engine against every worked example of LEGAL.md §1, and its invariants."""

import datetime as dt

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from requests_desk.deadlines import (
    extended_months_after,
    is_working_day,
    months_after,
    next_working_day,
    same_date_months_later,
    weeks_after,
    weeks_target_after,
    working_day_on_or_after,
    working_days_after,
)

D = dt.date.fromisoformat

# (received, rule, deadline) — the table in LEGAL.md, row for row.
LEGAL_EXAMPLES = [
    ("2026-03-09", ("months", 1), "2026-04-09"),
    ("2026-01-31", ("months", 1), "2026-03-02"),
    ("2028-01-31", ("months", 1), "2028-02-29"),
    ("2026-03-31", ("months", 1), "2026-04-30"),
    ("2026-03-27", ("months", 1), "2026-04-28"),
    ("2026-03-06", ("months", 1), "2026-04-07"),
    ("2026-04-14", ("months", 1), "2026-05-15"),
    ("2026-04-25", ("months", 1), "2026-05-26"),
    ("2026-11-25", ("months", 1), "2026-12-28"),
    ("2026-12-01", ("months", 1), "2027-01-04"),
    ("2026-08-31", ("months", 1), "2026-09-30"),
    ("2026-01-31", ("months", 3), "2026-04-30"),
    ("2026-04-01", ("working_days", 20), "2026-05-01"),
    ("2026-12-10", ("working_days", 20), "2027-01-11"),
    ("2026-05-01", ("working_days", 20), "2026-06-03"),
    ("2026-11-24", ("working_days", 20), "2026-12-22"),
]
RULES = {"months": months_after, "weeks": weeks_after, "working_days": working_days_after}

# LEGAL.md §1.4: the company's promises, never pushed later.
TARGET_EXAMPLES = [
    ("2026-04-04", ("weeks", 4), "2026-05-01"),
    ("2026-11-28", ("weeks", 4), "2026-12-24"),
    ("2026-03-09", ("weeks", 4), "2026-04-03"),
    ("2026-04-17", ("weeks", 4), "2026-05-15"),
    ("2026-04-01", ("working_days", 20), "2026-05-01"),
]
TARGETS = {"weeks": weeks_target_after, "working_days": working_days_after}

# LEGAL.md §1.5: (received, reading (a), reading (b), extended deadline).
EXTENSION_EXAMPLES = [
    ("2026-01-31", "2026-04-30", "2026-04-28", "2026-04-28"),
    ("2026-01-29", "2026-04-29", "2026-04-28", "2026-04-28"),
    ("2026-05-31", "2026-08-31", "2026-08-30", "2026-08-31"),
    ("2026-03-09", "2026-06-09", "2026-06-09", "2026-06-09"),
]


@pytest.mark.parametrize(("received", "rule", "deadline"), LEGAL_EXAMPLES)
def test_every_worked_example_of_legal_md(received, rule, deadline):
    unit, amount = rule
    assert RULES[unit](D(received), amount) == D(deadline)


@pytest.mark.parametrize(("received", "promise", "target"), TARGET_EXAMPLES)
def test_every_worked_target_of_legal_md(received, promise, target):
    unit, amount = promise
    assert TARGETS[unit](D(received), amount) == D(target)


@pytest.mark.parametrize(
    ("received", "from_receipt", "from_first_month", "extended"), EXTENSION_EXAMPLES
)
def test_every_worked_extension_of_legal_md(received, from_receipt, from_first_month, extended):
    assert same_date_months_later(D(received), 3) == D(from_receipt)
    unrolled_first_month = same_date_months_later(D(received), 1)
    assert same_date_months_later(unrolled_first_month, 2) == D(from_first_month)
    assert extended_months_after(D(received), 2) == D(extended)


def test_a_four_week_target_is_not_pushed_past_the_promised_day_as_a_period_would_be():
    assert weeks_after(D("2026-04-04"), 4) == D("2026-05-04")
    assert weeks_target_after(D("2026-04-04"), 4) == D("2026-05-01")


def test_good_friday_is_a_working_day():
    assert is_working_day(D("2026-04-03"))
    assert is_working_day(D("2027-03-26"))


def test_the_holidays_package_lists_good_friday_and_we_take_it_out():
    assert D("2026-04-03") in holidays.Netherlands(years=2026)
    assert is_working_day(D("2026-04-03"))


@pytest.mark.parametrize(
    "decree_day", ["2026-01-02", "2026-05-15", "2027-05-07", "2028-04-28", "2028-05-26"]
)
def test_the_royal_decree_days_are_working_days(decree_day):
    assert is_working_day(D(decree_day))


@pytest.mark.parametrize("year", [2026, 2027, 2028, 2029, 2030])
def test_liberation_day_is_a_holiday_every_year(year):
    assert not is_working_day(dt.date(year, 5, 5))


def test_the_holidays_package_gives_5_may_only_every_fifth_year_and_we_correct_it():
    listed = [y for y in range(2021, 2031) if dt.date(y, 5, 5) in holidays.Netherlands(years=y)]
    assert listed == [2025, 2030]
    assert all(not is_working_day(dt.date(y, 5, 5)) for y in range(2021, 2031))


@pytest.mark.parametrize(
    "holiday",
    [
        "2026-01-01",
        "2026-04-06",
        "2026-04-27",
        "2026-05-14",
        "2026-05-25",
        "2026-12-25",
        "2026-12-26",
    ],
)
def test_the_atw_holidays_are_not_working_days(holiday):
    assert not is_working_day(D(holiday))


def test_kings_day_moves_to_the_26th_when_the_27th_is_a_sunday():
    assert not is_working_day(D("2031-04-26"))
    assert is_working_day(D("2031-04-28"))


def test_next_working_day_is_strictly_later():
    assert next_working_day(D("2026-11-24")) == D("2026-11-25")
    assert next_working_day(D("2026-12-24")) == D("2026-12-28")


days = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2040, 12, 31))


@given(days, st.integers(min_value=1, max_value=3))
def test_a_months_deadline_is_a_working_day_never_before_the_unrolled_date(received, months):
    deadline = months_after(received, months)
    assert is_working_day(deadline)
    assert deadline >= same_date_months_later(received, months)
    # Rolling forward never skips a working day.
    day = same_date_months_later(received, months)
    while day < deadline:
        assert not is_working_day(day)
        day += dt.timedelta(days=1)


@given(days, days, st.integers(min_value=1, max_value=3))
def test_deadlines_are_monotone_in_the_received_date(a, b, months):
    early, late = sorted((a, b))
    assert months_after(early, months) <= months_after(late, months)
    assert weeks_after(early, 4) <= weeks_after(late, 4)
    assert working_days_after(early, 20) <= working_days_after(late, 20)


@given(days, st.integers(min_value=1, max_value=4))
def test_a_weeks_deadline_is_a_working_day_on_or_after_the_same_weekday(received, weeks):
    deadline = weeks_after(received, weeks)
    assert is_working_day(deadline)
    assert deadline >= received + dt.timedelta(weeks=weeks)


@given(days, st.integers(min_value=0, max_value=40))
def test_working_days_after_counts_exactly_n_working_days(start, n):
    deadline = working_days_after(start, n)
    counted = sum(
        is_working_day(start + dt.timedelta(days=i)) for i in range(1, (deadline - start).days + 1)
    )
    assert counted == n
    assert n == 0 or is_working_day(deadline)


@given(days, st.integers(min_value=1, max_value=8))
def test_a_weeks_target_is_a_working_day_never_later_than_the_promised_day(received, weeks):
    promised = received + dt.timedelta(weeks=weeks)
    target = weeks_target_after(received, weeks)
    assert is_working_day(target)
    assert target <= promised
    # It is the last working day on or before the promised day: none is skipped.
    assert all(
        not is_working_day(target + dt.timedelta(days=i))
        for i in range(1, (promised - target).days + 1)
    )


@given(days)
def test_a_twenty_working_day_target_is_a_working_day_never_later_than_the_promised_day(received):
    target = working_days_after(received, 20)
    assert is_working_day(target)
    counted = sum(
        is_working_day(received + dt.timedelta(days=i))
        for i in range(1, (target - received).days + 1)
    )
    assert counted == 20  # never a working day more than promised


@given(days, st.integers(min_value=1, max_value=2))
def test_an_extended_deadline_is_never_later_than_either_reading(received, further):
    extended = extended_months_after(received, further)
    from_receipt = working_day_on_or_after(same_date_months_later(received, 1 + further))
    from_first_month = working_day_on_or_after(
        same_date_months_later(same_date_months_later(received, 1), further)
    )
    assert is_working_day(extended)
    assert extended <= from_receipt and extended <= from_first_month
    assert extended > months_after(received, 1)
