import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from requests_desk.models import DataSubjectRequest, Status

pytestmark = pytest.mark.django_db


def test_the_demo_fills_the_queue_once_with_requests_in_every_state():
    call_command("load_demo", stdout=None)
    count = DataSubjectRequest.objects.count()
    call_command("load_demo", stdout=None)
    assert DataSubjectRequest.objects.count() == count == 11
    statuses = set(DataSubjectRequest.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)


@pytest.mark.parametrize("today", ["2026-11-25", "2026-12-27", "2027-01-02", "2027-03-01"])
def test_the_demo_has_an_overdue_and_an_extended_request_around_today(today):
    with time_machine.travel(dt.datetime.fromisoformat(f"{today}T11:00+01:00"), tick=False):
        call_command("load_demo", stdout=None)
        check_around_today()


def check_around_today():
    requests = list(DataSubjectRequest.objects.all())
    assert any(r.is_overdue() for r in requests)
    assert any(r.extended_due_on and r.is_open for r in requests)
    assert any(0 <= r.days_left() <= 10 for r in requests if r.is_open)
