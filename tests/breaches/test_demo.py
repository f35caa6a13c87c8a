"""The demo office's breaches: one with its clock running, one closed; loaded once."""

import pytest
from django.core.management import call_command

from breaches.models import Breach, BreachReminder, BreachStatus, FilingKind

pytestmark = pytest.mark.django_db


def test_the_demo_holds_a_running_clock_and_a_closed_breach(privacy_officer, agent):
    call_command("load_demo", stdout=None)
    call_command("load_demo", stdout=None)
    assert Breach.objects.count() == 2
    running = Breach.objects.get(status=BreachStatus.ASSESSED)
    assert list(BreachReminder.objects.filter(breach=running).values_list("hours", flat=True)) == [
        24
    ]
    closed = Breach.objects.get(status=BreachStatus.CLOSED)
    kinds = list(closed.filings.values_list("kind", flat=True))
    assert kinds == [FilingKind.INITIAL, FilingKind.FOLLOW_UP]
    assert closed.reported_by == agent


def test_without_a_privacy_officer_the_demo_leaves_the_register_empty(db):
    call_command("load_demo", stdout=None)
    assert not Breach.objects.exists()
