"""The privacy officer's start page (the admin's index, accounts.start_page): what needs
attention, each item linked to where it is handled, in a fixed number of queries; the auditor sees
what the role may view, an agent starts in the desk."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.start_page import SHOWN
from breaches.models import Breach
from connectors.models import Connector, ConnectorRun, Operation, RunStatus
from privacy_register.models import ProcessingActivity, System
from requests_desk.models import OutboxMessage, OutboxStatus
from subject_rights.models import RestrictionLift
from tests.factories.breaches import report_breach
from tests.factories.consents import DataSubjectFactory
from tests.factories.desk import DataSubjectRequestFactory

pytestmark = pytest.mark.django_db


def _attention(*, rows: int, officer, batch: int = 0):
    """`rows` of each thing the start page lists: requests past their date, failed letters,
    open breaches, reviews due, liftings due and failed connector runs."""
    today = timezone.localdate()
    requests = [
        DataSubjectRequestFactory(due_on=today - dt.timedelta(days=2 + n), target_on=today)
        for n in range(rows)
    ]
    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            to=f"p{n}@school.example",
            subject=f"Uw verzoek {n}",
            body="…",
            status=OutboxStatus.FAILED,
            attempts=5,
        )
        for n in range(rows)
    )
    for n in range(rows):
        report_breach(by=officer, title=f"Lek {n}")
    ProcessingActivity.objects.filter(pk__in=ProcessingActivity.objects.values("pk")[:rows]).update(
        next_review_on=today - dt.timedelta(days=3)
    )
    for req in requests:
        subject = DataSubjectFactory()
        RestrictionLift.objects.create(
            request=req, subject=subject, reason="Juistheid vastgesteld", lift_on=today
        )
    for n, req in enumerate(requests):
        system = System.objects.create(name=f"Systeem {batch}-{n}", slug=f"systeem-{batch}-{n}")
        connector = Connector.objects.create(system=system)
        ConnectorRun.objects.create(
            request=req,
            connector=connector,
            operation=Operation.ACCESS,
            status=RunStatus.FAILED,
            error="verbinding geweigerd",
        )
    return requests


def _index(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response, len(queries)


def test_the_officer_sees_each_thing_that_needs_attention_linked_to_where_it_is_handled(
    client, privacy_officer, register
):
    requests = _attention(rows=1, officer=privacy_officer)
    client.force_login(privacy_officer)
    response, _ = _index(client)
    page = response.content.decode()
    sections = {section.key: section for section in response.context["start_page"]}
    assert set(sections) == {
        "completeness",
        "assessments",
        "requests",
        "letters",
        "restrictions",
        "connectors",
        "breaches",
    }
    reference = requests[0].reference
    assert reverse("desk:detail", args=[reference]) in page
    assert "dag(en) over de datum" in page
    letter = OutboxMessage.objects.get(status=OutboxStatus.FAILED)
    assert reverse("admin:requests_desk_outboxmessage_change", args=[letter.pk]) in page
    breach = Breach.objects.get()
    assert reverse("breaches:detail", args=[breach.reference]) in page
    assert "nog 70 uur om te melden" in page or "nog 71 uur om te melden" in page
    assert "review verlopen sinds" in page
    assert sections["restrictions"].items[0].label == reference
    assert "verbinding geweigerd" in page
    assert reverse("admin:privacy_register_completeness") in page
    assert "None" not in sections["requests"].items[0].detail


def test_nothing_to_do_says_so(client, privacy_officer):
    client.force_login(privacy_officer)
    response, _ = _index(client)
    assert "Niets dat aandacht vraagt." in response.content.decode()
    assert all(section.total == 0 for section in response.context["start_page"])


def test_the_start_page_runs_the_same_queries_at_many_rows_as_at_a_page_of_them(
    client, privacy_officer, register
):
    # A full page of each (a count is asked only then), then three times as many.
    _attention(rows=SHOWN, officer=privacy_officer)
    client.force_login(privacy_officer)
    _, few = _index(client)
    _attention(rows=2 * SHOWN, officer=privacy_officer, batch=1)
    response, many = _index(client)
    sections = {section.key: section for section in response.context["start_page"]}
    assert sections["requests"].total == 3 * SHOWN and len(sections["requests"].items) == SHOWN
    assert sections["breaches"].total == 3 * SHOWN
    assert sections["connectors"].total == 3 * SHOWN
    assert many == few


def test_the_english_start_page_is_in_english(client, privacy_officer, register):
    _attention(rows=1, officer=privacy_officer)
    client.force_login(privacy_officer)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "What needs attention" in page and "Open breaches" in page
    assert "Wat aandacht vraagt" not in page


def test_the_auditor_sees_what_the_role_may_view(client, auditor, privacy_officer, register):
    _attention(rows=1, officer=privacy_officer)
    client.force_login(auditor)
    response, _ = _index(client)
    keys = {section.key for section in response.context["start_page"]}
    assert {"requests", "breaches", "completeness"} <= keys


def test_an_agent_starts_in_the_desk_not_in_the_admin(client, agent):
    client.force_login(agent)
    assert client.get("/")["Location"] == reverse("desk:queue")
    assert client.get(reverse("admin:index")).status_code == 302
