"""The Dutch letters: shipped by the data migration, filled in with the request's own data (a
value missing is an error, never a blank), every decision letter naming both remedies, previewed
without writing anything, and sent through the outbox (or the "to post" queue) with a line on the
timeline, in the same transaction as the change that causes them."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from requests_desk.letters import VARIABLES, check_template_text
from requests_desk.models import (
    REMEDY_LETTERS,
    LetterKind,
    LetterTemplate,
    OutboxMessage,
    PostalLetter,
    RequestEvent,
)
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


# What each letter that reports a decision needs besides the request itself: the decision's own
# data, which only the service that takes it has.
DECISION_DATA = {
    LetterKind.EXTENSION: {"verlengde_termijn": "9 juni 2026", "reden_verlenging": "Zes systemen."},
    LetterKind.COMPLETION: {"uitkomst": "Wij hebben uw gegevens gecorrigeerd."},
    LetterKind.REJECTION: {"redenen": "Het verzoek is kennelijk ongegrond."},
    LetterKind.ACCESS_PACKAGE: {
        "link": "https://example.test/d/x/",
        "verloopt_op": "1 mei 2026",
        "per_systeem": "- Webshop: de export van dit systeem zit in het pakket",
    },
    LetterKind.ERASURE: {
        "bewaard": "- Facturen: 7 jaar (art. 52 AWR)",
        "per_systeem": "- Webshop: verwijderd (3 records)",
        "systemen": "- Webshop: 3 rijen verwijderd, 1 leeggemaakt",
    },
    LetterKind.RESTRICTION_LIFTED: {"redenen": "Juistheid vastgesteld.", "opheffen_op": "8 mei"},
    LetterKind.FREE_TEXT: {"tekst": "Wij bellen u morgen terug."},
    LetterKind.IDENTITY_TIMEOUT: {"uitkomst": "Wij hebben uw verzoek niet uitgevoerd."},
}


@pytest.mark.parametrize("kind", LetterKind.values)
def test_every_letter_is_filled_in_with_the_requests_data(march_request, kind):
    subject, body = letter_preview(request=march_request, kind=kind, **DECISION_DATA.get(kind, {}))
    assert march_request.reference in subject
    assert "Beste Ahmed el Amrani," in body
    assert "{{" not in subject + body and "{%" not in body
    for value in DECISION_DATA.get(kind, {}).values():
        assert value in subject + body


@pytest.mark.parametrize("kind", list(DECISION_DATA))
def test_a_letter_without_its_data_is_an_error_never_a_blank(march_request, kind):
    with pytest.raises(ValidationError) as refused:
        letter_preview(request=march_request, kind=kind)
    assert refused.value.code == "missing_data"
    assert set(DECISION_DATA[kind]) <= set(
        refused.value.messages[0].split(": ")[-1][:-1].split(", ")
    )


def test_an_extension_letter_of_a_request_never_extended_cannot_be_made(march_request):
    """The issue's own case: the preview used to show a blank date and reason."""
    with pytest.raises(ValidationError, match="reden_verlenging, verlengde_termijn"):
        letter_preview(request=march_request, kind=LetterKind.EXTENSION)


@pytest.mark.parametrize("kind", REMEDY_LETTERS)
def test_every_decision_letter_names_both_remedies(march_request, kind):
    _, body = letter_preview(request=march_request, kind=kind, **DECISION_DATA[kind])
    text = " ".join(body.split())
    assert "klacht indienen bij de Autoriteit Persoonsgegevens" in text
    assert "naar de rechter stappen" in text and "artikel 12, vierde lid" in text


@pytest.mark.parametrize("kind", REMEDY_LETTERS)
def test_a_decision_template_that_drops_a_remedy_is_refused(kind):
    template = LetterTemplate.objects.get(kind=kind)
    template.body = template.body.replace("rechter", "")
    with pytest.raises(ValidationError) as refused:
        template.full_clean()
    assert refused.value.error_dict["body"][0].code == "remedies"


def test_a_letter_without_a_decision_may_leave_the_remedies_out():
    template = LetterTemplate.objects.get(kind=LetterKind.ACKNOWLEDGEMENT)
    template.body = "Beste {{ naam }}, ontvangen."
    template.full_clean()


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
    letter_preview(request=march_request, kind=LetterKind.IDENTITY_CHECK)
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
        letter_send(request=march_request, kind=LetterKind.IDENTITY_CHECK, by=agent)
        raise RuntimeError("the change fails after the letter was queued")
    assert OutboxMessage.objects.count() == outbox
    march_request.refresh_from_db()
    assert not march_request.identity_verified


def test_a_requester_without_e_mail_gets_the_letter_by_post(register, agent):
    request = open_request(channel="post", requester_email="", requester_address="Dorpsstraat 1")
    letter_send(request=request, kind=LetterKind.IDENTITY_CHECK, by=agent)
    assert not OutboxMessage.objects.exists()
    letter = PostalLetter.objects.get(request=request, letter_kind="identity_check")
    assert (letter.name, letter.address, letter.posted_at) == (
        "Joke de Vries",
        "Dorpsstraat 1",
        None,
    )
    assert request.events.filter(kind="letter", data__postal_id=letter.pk).exists()


def test_the_officers_template_sees_plain_values_only(march_request):
    template = LetterTemplate.objects.get(kind="completion")
    template.body = "{{ naam.upper }} {{ kenmerk }}"
    template.save()
    _, body = letter_preview(request=march_request, kind="completion", uitkomst="x")
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
