"""Asking for the link to the preference centre: known addresses get their personal link, unknown
ones a short note; the page answers exactly the same either way (no enumeration)."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from tests.factories import DataSubjectFactory, purpose_with_wording
from tests.self_service.conftest import links_in, only_mail, path_of

pytestmark = pytest.mark.django_db

URL = "/privacy/voorkeuren/"


@pytest.fixture
def known(db):
    return DataSubjectFactory(email="joke@school.example")


def without_csrf(response) -> str:
    """The page without its CSRF token, which is masked afresh on every render."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def ask(client, email, **extra):
    return client.post(URL, {"email": email, "website": "", **extra})


def test_a_known_address_gets_its_personal_link(client, known):
    ask(client, "Joke@School.example ")
    message = only_mail()
    assert message.to == ["joke@school.example"]
    [link] = links_in(message)
    page = client.get(path_of(link)).content.decode()
    assert "Mijn voorkeuren" in page and "joke@school.example" in page


def test_an_unknown_address_gets_a_note_and_no_link(client, known):
    ask(client, "onbekend@school.example")
    message = only_mail()
    assert message.to == ["onbekend@school.example"]
    assert not links_in(message)
    assert "niet geregistreerd" in message.body


def test_an_erased_person_is_treated_as_unknown(client, known):
    type(known).objects.filter(pk=known.pk).update(email=None, erased_at=timezone.now())
    ask(client, "joke@school.example")
    assert not links_in(only_mail())


def test_known_and_unknown_addresses_get_identical_answers(client, known):
    answers = []
    for email in ("joke@school.example", "onbekend@school.example"):
        response = ask(client, email)
        follow = client.get(response["Location"])
        answers.append((response.status_code, response["Location"], without_csrf(follow)))
    assert answers[0] == answers[1]
    first, second = mail.outbox
    assert first.subject == second.subject


def test_the_request_form_answers_identically_for_known_and_unknown_addresses(client, known):
    answers = []
    for email in ("joke@school.example", "onbekend@school.example"):
        response = client.post(
            "/privacy/verzoek/", {"kind": "access", "name": "J", "email": email, "website": ""}
        )
        answers.append((response.status_code, response["Location"]))
    assert answers[0] == answers[1]


def test_a_bad_address_gets_a_dutch_message(client):
    response = ask(client, "joke")
    assert "Vul een geldig e-mailadres in" in response.content.decode()
    assert not mail.outbox


def test_a_filled_honeypot_sends_nothing(client, known):
    response = ask(client, "joke@school.example", website="http://spam.example")
    assert response.status_code == 302
    assert not mail.outbox


def test_asking_too_often_for_one_address_is_refused_in_dutch(client, known, settings):
    settings.SELF_SERVICE_RATE_LIMITS = {
        **settings.SELF_SERVICE_RATE_LIMITS,
        "preference_link_per_email": (2, 3600),
    }
    for n in range(2):
        ask(client, "joke@school.example", REMOTE_ADDR=f"192.0.2.{n}")
    response = ask(client, "joke@school.example", REMOTE_ADDR="192.0.2.9")
    assert response.status_code == 429
    assert "Je hebt dit formulier te vaak verstuurd" in response.content.decode()
    assert len(mail.outbox) == 2


def test_an_unknown_address_is_limited_the_same_way(client, settings):
    settings.SELF_SERVICE_RATE_LIMITS = {
        **settings.SELF_SERVICE_RATE_LIMITS,
        "preference_link_per_email": (2, 3600),
    }
    for n in range(2):
        ask(client, "onbekend@school.example", REMOTE_ADDR=f"192.0.2.{n}")
    assert ask(client, "onbekend@school.example", REMOTE_ADDR="192.0.2.9").status_code == 429


def test_one_client_address_is_limited(client, settings):
    settings.SELF_SERVICE_RATE_LIMITS = {
        **settings.SELF_SERVICE_RATE_LIMITS,
        "preference_link_per_ip": (2, 3600),
    }
    for n in range(2):
        ask(client, f"iemand{n}@school.example")
    assert ask(client, "nog-iemand@school.example").status_code == 429
    assert len(mail.outbox) == 2


def test_the_preference_pages_are_in_english_after_the_language_switch(client, known):
    purpose_with_wording("Ja, stuur mij de nieuwsbrief.", name="Nieuwsbrief")
    client.post("/i18n/setlang/", {"language": "en", "next": URL})
    assert "Send me the link" in client.get(URL).content.decode()
    ask(client, "joke@school.example")
    [link] = links_in(only_mail())
    page = client.get(path_of(link)).content.decode()
    assert "Save preferences" in page and "Unsubscribe from everything" in page
