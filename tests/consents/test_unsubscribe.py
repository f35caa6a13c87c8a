"""One-click unsubscribe (RFC 8058): a GET asks, a POST withdraws at once; a bad link changes
nothing."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from consents.models import ConsentEvent
from consents.selectors import may_contact
from consents.services import consent_give
from consents.tokens import unsubscribe_headers, unsubscribe_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscribed(subject, purpose):
    consent_give(subject=subject, purpose=purpose, method="double_opt_in")
    return subject, purpose


def url(subject, purpose):
    return f"/privacy/afmelden/{unsubscribe_token(subject=subject, purpose=purpose)}/"


def test_a_get_asks_and_changes_nothing(client, subscribed):
    response = client.get(url(*subscribed))
    assert response.status_code == 200 and "Ja, meld mij af" in response.content.decode()
    assert may_contact(subject=subscribed[0], purpose=subscribed[1])


def test_the_mail_clients_one_click_post_withdraws_at_once(subscribed):
    client = Client(enforce_csrf_checks=True)  # a mail client has no cookie and no CSRF token
    response = client.post(
        url(*subscribed),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not may_contact(subject=subscribed[0], purpose=subscribed[1])
    event = ConsentEvent.objects.order_by("-sequence").first()
    assert (event.action, event.method) == ("withdrawn", "unsubscribe_link")


def test_clicking_twice_records_one_withdrawal(client, subscribed):
    client.post(url(*subscribed))
    client.post(url(*subscribed))
    assert ConsentEvent.objects.filter(action="withdrawn").count() == 1


def test_a_tampered_token_gets_a_clear_page_and_changes_nothing(client, subscribed):
    token = unsubscribe_token(subject=subscribed[0], purpose=subscribed[1])
    response = client.post(f"/privacy/afmelden/{token[:-2]}xy/")
    assert response.status_code == 400
    assert "gewijzigd" in response.content.decode()
    assert may_contact(subject=subscribed[0], purpose=subscribed[1])


def test_an_expired_token_says_so(client, subscribed, settings):
    settings.UNSUBSCRIBE_LINK_MAX_AGE = 3600
    link = url(*subscribed)
    with time_machine.travel(dt.timedelta(hours=2)):
        response = client.post(link)
    assert response.status_code == 400 and "verlopen" in response.content.decode()
    assert may_contact(subject=subscribed[0], purpose=subscribed[1])


def test_marketing_mail_carries_the_one_click_headers(subscribed, settings):
    settings.SITE_URL = "https://privacy.rezulto.nl"
    headers = unsubscribe_headers(subject=subscribed[0], purpose=subscribed[1])
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["List-Unsubscribe"].startswith("<https://privacy.rezulto.nl/privacy/afmelden/")
