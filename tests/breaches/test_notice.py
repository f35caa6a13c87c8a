"""Telling the people (Art. 34): the Dutch template, the DPO's contact required, one message per
person through the outbox, 50,000 people queued in bounded queries, or the Art. 34(3) ground."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from breaches.forms import read_people
from breaches.models import Decision, PeopleNotice
from breaches.services import notice_draft, notice_not_needed, notice_send
from privacy_register.models import Controller
from requests_desk.models import OutboxKind, OutboxMessage
from requests_desk.outbox import outbox_sweep
from tests.factories import decide, report_breach

pytestmark = pytest.mark.django_db


@pytest.fixture
def high_risk(register, agent, privacy_officer):
    breach = report_breach(by=agent)
    decide(breach, decision=Decision.HIGH_RISK, by=privacy_officer)
    return breach


def test_the_draft_holds_what_article_34_2_asks(high_risk):
    subject, body = notice_draft(breach=high_risk)
    controller = Controller.objects.get()
    assert controller.name in subject
    for part in (
        high_risk.what_happened,  # what happened
        high_risk.assessment.consequences,  # the likely consequences
        high_risk.assessment.measures_taken,  # the measures
        "Wat kunt u zelf doen?",
        controller.dpo_email or controller.email,  # the DPO's contact
    ):
        assert part in body


def test_a_notice_without_the_dpos_contact_is_refused(high_risk, privacy_officer):
    with pytest.raises(ValidationError) as refused:
        notice_send(
            breach=high_risk,
            subject="Datalek",
            body="Er was een lek.",
            people=[("a@school.example", "A")],
            source="lijst",
            by=privacy_officer,
        )
    assert refused.value.code == "dpo_missing"
    assert not OutboxMessage.objects.filter(letter_kind=OutboxKind.BREACH_NOTICE).exists()


def test_each_person_gets_one_message_with_their_name(high_risk, privacy_officer):
    subject, body = notice_draft(breach=high_risk)
    people = [("A@school.example", "Anna"), ("a@school.example", "Anna"), ("b@school.example", "")]
    notice = notice_send(
        breach=high_risk,
        subject=subject,
        body=body,
        people=people,
        source="lijst",
        by=privacy_officer,
    )
    assert notice.recipients == 2
    messages = OutboxMessage.objects.filter(letter_kind=OutboxKind.BREACH_NOTICE).order_by("to")
    assert [m.to for m in messages] == ["a@school.example", "b@school.example"]
    assert messages[0].body.startswith("Beste Anna,")
    with pytest.raises(ValidationError) as refused:
        notice_send(
            breach=high_risk,
            subject=subject,
            body=body,
            people=people,
            source="lijst",
            by=privacy_officer,
        )
    assert refused.value.code == "done"
    assert outbox_sweep() >= 2


def test_an_agent_may_not_send_the_notice(high_risk, agent):
    subject, body = notice_draft(breach=high_risk)
    with pytest.raises(ValidationError):
        notice_send(
            breach=high_risk,
            subject=subject,
            body=body,
            people=[("a@school.example", "")],
            source="lijst",
            by=agent,
        )


def test_a_notice_to_50000_people_is_queued_in_bounded_queries(high_risk, privacy_officer):
    subject, body = notice_draft(breach=high_risk)
    people = ((f"person{i}@school.example", f"Persoon {i}") for i in range(50_000))
    with CaptureQueriesContext(connection) as queries:
        notice = notice_send(
            breach=high_risk,
            subject=subject,
            body=body,
            people=people,
            source="lijst",
            by=privacy_officer,
        )
    assert notice.recipients == 50_000
    assert OutboxMessage.objects.filter(letter_kind=OutboxKind.BREACH_NOTICE).count() == 50_000
    inserts = [q for q in queries if 'INSERT INTO "requests_desk_outboxmessage"' in q["sql"]]
    if connection.vendor == "postgresql":
        assert len(inserts) == 10  # batches of 5,000
        assert len(queries) <= 30
    else:
        # SQLite binds at most 999 parameters a statement: Django cuts each batch to fit.
        columns = len(OutboxMessage._meta.concrete_fields) - 1  # all but the id
        assert len(inserts) <= 50_000 // (999 // columns) + 10
        assert len(queries) <= len(inserts) + 30
    assert len(queries) < 50_000 / 50


def test_the_reason_for_not_telling_is_recorded(high_risk, privacy_officer):
    with pytest.raises(ValidationError):
        notice_not_needed(breach=high_risk, ground="risk_removed", reason=" ", by=privacy_officer)
    notice_not_needed(
        breach=high_risk,
        ground="risk_removed",
        reason="Wachtwoorden gereset voordat ze konden worden misbruikt.",
        by=privacy_officer,
    )
    assert PeopleNotice.objects.get().get_not_needed_display().startswith("Art. 34(3)(b)")


def test_an_uploaded_list_is_read_and_a_bad_line_named():
    assert read_people(b"email,naam\na@school.example,Anna\n\nb@school.example\n") == [
        ("a@school.example", "Anna"),
        ("b@school.example", ""),
    ]
    assert read_people("a@school.example;Zoë\n".encode()) == [("a@school.example", "Zoë")]
    with pytest.raises(ValidationError) as refused:
        read_people(b"a@school.example\nniet-een-adres\n")
    assert "Regel 2" in refused.value.messages[0]
