"""The five Dutch letters: shipped by the data migration, filled in with the request's own data,
previewed without writing anything, and sent through the outbox with a line on the timeline, in
the same transaction as the change that causes them."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from requests_desk.letters import VARIABLES, check_template_text
from requests_desk.models import LetterKind, LetterTemplate, OutboxMessage, RequestEvent
from requests_desk.services import (
    letter_preview,
    letter_send,
    request_extend,
    request_verify_identity,
)
from tests.factories import open_request

pytestmark = pytest.mark.django_db
AMSTERDAM = timezone.get_default_timezone()


def at(day: str, hour=10) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), AMSTERDAM)


@pytest.fixture
def march_request(register):
    with time_machine.travel(at("2026-03-09", 12)):
        return open_request(
            requester_name="Ahmed el Amrani",
            requester_email="a.elamrani@school.example",
            received_at=at("2026-03-09"),
        )


def test_the_migration_ships_one_dutch_letter_per_kind():
    templates = {t.kind: t for t in LetterTemplate.objects.all()}
    assert set(templates) == set(LetterKind.values)
    for template in templates.values():
        template.full_clean()  # every shipped letter passes the admin's own check
        assert "Met vriendelijke groet" in template.body


@pytest.mark.parametrize("kind", LetterKind.values)
def test_every_letter_is_filled_in_with_the_requests_data(march_request, kind):
    subject, body = letter_preview(request=march_request, kind=kind)
    assert march_request.reference in subject
    assert "Beste Ahmed el Amrani," in body
    assert "{{" not in subject + body and "{%" not in body


def test_the_acknowledgement_gives_both_dates_in_dutch(march_request):
    _, body = letter_preview(request=march_request, kind=LetterKind.ACKNOWLEDGEMENT)
    assert "9 maart 2026" in body  # received
    assert "6 april 2026" not in body  # Easter Monday is never a deadline
    # Access: four weeks, never later than promised: Friday 3 April (Good Friday is a working
    # day), not past Easter Monday (LEGAL.md §1.4).
    assert "3 april 2026" in body
    assert "9 april 2026" in body  # the statutory month
    assert "(inzage)" in body


def test_the_extension_letter_gives_the_new_date_and_the_reason(march_request, privacy_officer):
    with time_machine.travel(at("2026-03-20")):
        request_extend(
            request=march_request, reason="Gegevens in zes systemen.", by=privacy_officer
        )
    letter = OutboxMessage.objects.get(request=march_request, letter_kind="extension")
    assert "9 juni 2026" in letter.body and "Gegevens in zes systemen." in letter.body
    assert "artikel 12, derde lid" in letter.body


def test_a_preview_writes_nothing(march_request):
    before = (OutboxMessage.objects.count(), RequestEvent.objects.count())
    letter_preview(request=march_request, kind=LetterKind.COMPLETION)
    assert (OutboxMessage.objects.count(), RequestEvent.objects.count()) == before


def test_sending_queues_the_letter_and_records_it_on_the_timeline(march_request, agent):
    message = letter_send(request=march_request, kind=LetterKind.IDENTITY_CHECK, by=agent)
    assert (message.status, message.attempts, message.to) == (
        "queued",
        0,
        "a.elamrani@school.example",
    )
    event = march_request.events.get(kind="letter", data__letter="identity_check")
    assert event.by == agent and event.data["outbox_id"] == message.pk
    assert event.text == message.subject


def test_a_letter_leaves_only_with_the_change_that_caused_it(march_request, agent):
    outbox = OutboxMessage.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        request_verify_identity(request=march_request, method="email", by=agent)
        letter_send(request=march_request, kind=LetterKind.COMPLETION, by=agent)
        raise RuntimeError("the change fails after the letter was queued")
    assert OutboxMessage.objects.count() == outbox
    march_request.refresh_from_db()
    assert not march_request.identity_verified


def test_a_requester_without_e_mail_gets_no_queued_letter(register, agent):
    request = open_request(channel="post", requester_email="", requester_address="Dorpsstraat 1")
    with pytest.raises(ValidationError, match="per post"):
        letter_send(request=request, kind=LetterKind.IDENTITY_CHECK, by=agent)
    assert not OutboxMessage.objects.exists()


def test_the_officers_template_sees_plain_values_only(march_request):
    template = LetterTemplate.objects.get(kind="completion")
    template.body = "{{ naam.upper }} {{ kenmerk }}"
    template.save()
    _, body = letter_preview(request=march_request, kind="completion")
    assert body == f"AHMED EL AMRANI {march_request.reference}\n"


def test_a_broken_template_saved_around_the_admin_is_a_clear_error(march_request):
    LetterTemplate.objects.filter(kind="completion").update(body="{% if naam %}")
    with pytest.raises(ValidationError, match="ongeldig"):
        letter_preview(request=march_request, kind="completion")


@pytest.mark.parametrize("name", VARIABLES)
def test_every_documented_value_is_accepted_in_a_template(name):
    check_template_text(f"{{{{ {name} }}}} {{{{ {name}|upper }}}}")
    assert f"{{{{ {name} }}}}" in LetterTemplate._meta.get_field("body").help_text


def test_an_unknown_value_is_refused_with_the_list_of_known_ones():
    with pytest.raises(ValidationError, match="Onbekende gegevens in het sjabloon: bsn"):
        check_template_text("Uw BSN: {{ bsn }}")
