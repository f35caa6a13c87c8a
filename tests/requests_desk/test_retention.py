"""The retention job (`jobs.requests_minimise`): closed requests minimised after the retention
the register gives, with a dry run the privacy officer sees."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from requests_desk import jobs
from requests_desk.models import OutboxMessage, Status
from requests_desk.services import request_verify_identity
from tests.factories import open_request

pytestmark = pytest.mark.django_db
AMS = timezone.get_default_timezone()


def at(day, hour=9):
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), AMS)


def test_closed_requests_are_minimised_after_the_registers_retention(register, agent):
    from requests_desk.services import request_complete, task_complete

    with time_machine.travel(at("2024-01-10")):
        old = open_request(received_at=at("2024-01-10"), requester_name="Oud Verzoek")
        request_verify_identity(request=old, method="email", by=agent)
        for task in old.tasks.all():
            task_complete(task=task, by=agent)
        request_complete(request=old, by=agent, outcome="Overzicht van Oud Verzoek gestuurd.")
    recent = open_request(requester_email="nieuw@school.example")
    # The register keeps requests 24 months after closing: 10 Jan 2024 + 24 months.
    assert jobs.requests_minimise(today=dt.date(2026, 1, 10)) == []
    assert jobs.requests_minimise(today=dt.date(2026, 1, 11)) == [old.reference]  # dry run
    old.refresh_from_db()
    assert old.requester_name == "Oud Verzoek"
    assert jobs.requests_minimise(today=dt.date(2026, 1, 11), dry_run=False) == [old.reference]
    old.refresh_from_db()
    assert (old.requester_name, old.requester_email, old.subject, old.outcome) == (
        "(geminimaliseerd)",
        "",
        None,
        "",
    )
    assert not old.history.exists()
    assert not OutboxMessage.objects.filter(request=old, body__contains="Oud Verzoek").exists()
    assert old.reference and old.status == Status.COMPLETED
    recent.refresh_from_db()
    assert recent.requester_email == "nieuw@school.example"
    assert jobs.requests_minimise(today=dt.date(2026, 1, 11), dry_run=False) == []


def test_the_officer_sees_the_retention_dry_run(client_as, register):
    body = (
        client_as("privacy_officer")
        .get("/admin/requests_desk/datasubjectrequest/bewaartermijn/")
        .content.decode()
    )
    assert "Niets: geen verzoek is over zijn bewaartermijn." in body
    assert (
        client_as("auditor")
        .get("/admin/requests_desk/datasubjectrequest/bewaartermijn/")
        .status_code
        == 403
    )
