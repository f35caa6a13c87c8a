"""The public request form: every right explained, a pending submission and a confirmation mail
for valid input, clear Dutch errors and nothing written for bad input."""

import pytest
from django.core import mail

from self_service.models import PendingSubmission
from self_service.rights import RIGHTS
from tests.self_service.conftest import ACCESS_REQUEST, links_in, only_mail

pytestmark = pytest.mark.django_db

URL = "/privacy/verzoek/"


def test_the_form_explains_every_right_with_its_article(client):
    page = client.get(URL).content.decode()
    for right in RIGHTS:
        assert f'value="{right.kind}"' in page
        assert str(right.explanation) in page
        assert str(right.article) in page


def test_the_form_is_in_english_after_the_language_switch(client):
    client.post("/i18n/setlang/", {"language": "en", "next": URL})
    page = client.get(URL).content.decode()
    assert "Submit a privacy request" in page
    assert "Access to my data" in page and "Article 15 GDPR" in page


def test_a_valid_submission_is_kept_pending_and_a_confirmation_link_is_mailed(client):
    response = client.post(URL, ACCESS_REQUEST)

    assert response.status_code == 302 and response["Location"] == "/privacy/verzoek/verstuurd/"
    submission = PendingSubmission.objects.get()
    assert (submission.kind, submission.name, submission.email) == (
        "access",
        "Fatima de Vries",
        "fatima@voorbeeld.nl",
    )
    assert submission.expires_at > submission.created_at
    message = only_mail()
    assert message.to == ["fatima@voorbeeld.nl"]
    assert message.subject == "Bevestig je privacyverzoek bij Rezulto"
    [link] = links_in(message)
    assert "/privacy/verzoek/bevestig/" in link
    assert "fatima" not in link  # the link carries no personal data


def test_the_confirmation_mail_is_dutch_even_from_the_english_page(client):
    client.post("/i18n/setlang/", {"language": "en", "next": URL})
    client.post(URL, ACCESS_REQUEST)
    assert "Bevestig met de link hieronder" in only_mail().body


def test_missing_fields_get_dutch_messages_linked_from_the_summary(client):
    response = client.post(URL, {"kind": "", "name": "", "email": "", "website": ""})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Er is iets niet goed ingevuld" in page
    assert '<a href="#id_kind_0">Kies wat je wilt vragen.</a>' in page
    assert '<a href="#id_name">Vul je naam in.</a>' in page
    assert '<a href="#id_email">Vul je e-mailadres in.</a>' in page
    assert 'aria-invalid="true"' in page
    assert not PendingSubmission.objects.exists() and not mail.outbox


def test_a_malformed_address_is_refused_in_dutch(client):
    response = client.post(URL, {**ACCESS_REQUEST, "email": "fatima-at-voorbeeld"})
    assert "Vul een geldig e-mailadres in" in response.content.decode()
    assert not PendingSubmission.objects.exists()


def test_an_unknown_kind_is_refused(client):
    response = client.post(URL, {**ACCESS_REQUEST, "kind": "delete_everything"})
    assert "Kies een van de verzoeken uit de lijst." in response.content.decode()
    assert not PendingSubmission.objects.exists()


def test_a_rectification_needs_to_say_what_is_wrong(client):
    response = client.post(URL, {**ACCESS_REQUEST, "kind": "rectification"})
    assert "Vertel in de toelichting welke gegevens niet kloppen" in response.content.decode()
    assert not PendingSubmission.objects.exists()


def test_a_filled_honeypot_looks_like_success_but_keeps_and_sends_nothing(client):
    response = client.post(URL, {**ACCESS_REQUEST, "website": "https://spam.example"})
    assert response.status_code == 302 and response["Location"] == "/privacy/verzoek/verstuurd/"
    assert not PendingSubmission.objects.exists() and not mail.outbox


def test_a_mail_that_cannot_be_sent_leaves_nothing_behind(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("self_service.services.send_mail", refuse)
    response = client.post(URL, ACCESS_REQUEST)
    assert response.status_code == 503
    assert "We konden je nu geen e-mail sturen" in response.content.decode()
    assert not PendingSubmission.objects.exists()


def test_the_form_refuses_a_post_without_csrf_token(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(URL, ACCESS_REQUEST)
    assert response.status_code == 403
    assert not PendingSubmission.objects.exists()


def test_overlong_input_is_refused_in_dutch(client):
    response = client.post(URL, {**ACCESS_REQUEST, "name": "x" * 201, "details": "y" * 5001})
    page = response.content.decode()
    assert "Je naam mag hoogstens 200 tekens lang zijn." in page
    assert "Houd de toelichting korter dan 5000 tekens." in page
    assert not PendingSubmission.objects.exists()
