"""The lockout behind the TLS proxy (TRUSTED_PROXY_COUNT) and the ceiling per account across
addresses (ACCOUNT_SLOW_AFTER, ACCOUNT_LOCK_AFTER): one office behind one proxy is not locked out
by one colleague's typos, an address written into X-Forwarded-For by the client is never believed,
thirty addresses do not get thirty guesses, and the privacy officer lifts a lock in the admin."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client, override_settings

from accounts.models import SignInEvent, SignInEventKind
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
PROXY = "10.0.0.2"  # the TLS proxy in front of gunicorn: every request comes from it
START = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def attempt(client, username, password, *, client_address=None, forwarded=None, via=PROXY):
    """A login post as the proxy hands it on: it appends the address it saw to the header."""
    extra = {"REMOTE_ADDR": via}
    hops = [hop for hop in (forwarded, client_address) if hop]
    if hops:
        extra["HTTP_X_FORWARDED_FOR"] = ", ".join(hops)
    return client.post("/accounts/login/", {"login": username, "password": password}, **extra)


@override_settings(TRUSTED_PROXY_COUNT=1, AXES_FAILURE_LIMIT=3)
def test_two_colleagues_behind_one_proxy_do_not_lock_each_other_out(db):
    UserFactory(username="kees")
    typist, colleague = Client(), Client()
    for _ in range(3):
        attempt(typist, "kees", "wrong", client_address="192.168.1.10")
    assert attempt(typist, "kees", PASSWORD, client_address="192.168.1.10").status_code == 429
    # Same proxy, same user name, another desk: not locked.
    response = attempt(colleague, "kees", PASSWORD, client_address="192.168.1.11")
    assert response.status_code == 302 and "_auth_user_id" in colleague.session
    failed = SignInEvent.objects.filter(kind=SignInEventKind.FAILED, username="kees")
    assert set(failed.values_list("address", flat=True)) == {"192.168.1.10"}


@override_settings(TRUSTED_PROXY_COUNT=1, AXES_FAILURE_LIMIT=3)
def test_a_forged_forwarded_for_behind_the_proxy_does_not_buy_more_guesses(client):
    """The attacker writes a new address into X-Forwarded-For each time; the proxy appends the
    real one, and that is the one counted."""
    UserFactory(username="kees")
    for n in range(3):
        attempt(client, "kees", "wrong", forwarded=f"203.0.113.{n}", client_address="198.51.100.7")
    response = attempt(
        client, "kees", PASSWORD, forwarded="203.0.113.99", client_address="198.51.100.7"
    )
    assert response.status_code == 429
    addresses = set(SignInEvent.objects.values_list("address", flat=True))
    assert addresses == {"198.51.100.7"}


@override_settings(TRUSTED_PROXY_COUNT=0, AXES_FAILURE_LIMIT=3)
def test_without_a_proxy_the_header_is_not_read_at_all(client):
    UserFactory(username="kees")
    for n in range(3):
        attempt(client, "kees", "wrong", forwarded=f"203.0.113.{n}", via="198.51.100.7")
    assert (
        attempt(client, "kees", PASSWORD, forwarded="203.0.113.99", via="198.51.100.7").status_code
        == 429
    )


@override_settings(
    TRUSTED_PROXY_COUNT=1, AXES_FAILURE_LIMIT=5, ACCOUNT_SLOW_AFTER=10, ACCOUNT_LOCK_AFTER=15
)
def test_thirty_addresses_are_slowed_then_locked_out_of_one_account(db):
    """Each address stays far below axes' limit per address; the account's own ceiling counts them
    together: past 10 failures each next try waits (2, 4, 8 … seconds), past 15 none gets through,
    the right password neither, until the cool-off ends."""
    UserFactory(username="privacy")
    address = iter(f"198.51.100.{n}" for n in range(1, 31))
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(10):
            assert (
                attempt(Client(), "privacy", "wrong", client_address=next(address)).status_code
                == 200
            )
        # The 11th at once is slowed: refused before the password is looked at.
        slowed = attempt(Client(), "privacy", PASSWORD, client_address=next(address))
        assert slowed.status_code == 429
        for failures in range(10, 15):
            wait = 2 ** (failures - 10 + 1)  # 2, 4, 8, 16, 32 seconds after the last failure
            clock.shift(dt.timedelta(seconds=wait - 1))
            early = attempt(Client(), "privacy", "wrong", client_address=next(address))
            assert early.status_code == 429
            clock.shift(dt.timedelta(seconds=1))
            response = attempt(Client(), "privacy", "wrong", client_address=next(address))
            assert response.status_code == 200
        clock.shift(dt.timedelta(minutes=2))
        for _ in range(6):  # the 25th to the 30th address, each with the right password
            locked = attempt(Client(), "privacy", PASSWORD, client_address=next(address))
            assert locked.status_code == 429 and "_auth_user_id" not in locked.wsgi_request.session
        clock.shift(dt.timedelta(minutes=16))  # the cool-off (15 minutes) since the last failure
        fresh = Client()
        assert (
            attempt(fresh, "privacy", PASSWORD, client_address="198.51.100.200").status_code == 302
        )
    events = SignInEvent.objects.filter(username="privacy")
    assert events.filter(kind=SignInEventKind.FAILED).count() == 15  # guesses: 15, not 30
    assert events.filter(kind=SignInEventKind.LOCKED_OUT).count() == 1 + 5 + 6


def without_token(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


@override_settings(AXES_FAILURE_LIMIT=3)
def test_the_lockout_page_does_not_tell_whether_the_account_exists(client):
    UserFactory(username="kees")
    pages = {}
    for name in ("kees", "klaas"):  # klaas has no account
        for _ in range(3):
            response = attempt(Client(), name, "wrong", via="198.51.100.7")
        pages[name] = response
    assert pages["kees"].status_code == pages["klaas"].status_code == 429
    text = pages["kees"].content.decode()
    assert "Tijdelijk geblokkeerd" in text and "15 minuten" in text
    assert without_token(text) == without_token(pages["klaas"].content.decode())
    assert "kees" not in text and "bestaat" not in text


@override_settings(AXES_FAILURE_LIMIT=3)
def test_the_privacy_officer_unlocks_an_account_from_the_admin(client_as, agent):
    locked_out = Client()
    for _ in range(3):
        attempt(locked_out, "kees", "wrong", via="198.51.100.7")
    assert attempt(locked_out, "kees", PASSWORD, via="198.51.100.7").status_code == 429
    officer = client_as("privacy_officer")
    response = officer.post(
        "/admin/auth/user/", {"action": "unlock", "_selected_action": [agent.pk]}, follow=True
    )
    assert response.status_code == 200 and "ontgrendeld" in response.content.decode()
    assert attempt(locked_out, "kees", PASSWORD, via="198.51.100.7").status_code == 302
    unlocked = SignInEvent.objects.get(kind=SignInEventKind.UNLOCKED)
    assert unlocked.user == agent and unlocked.by.username == "priya"


@override_settings(AXES_FAILURE_LIMIT=3)
def test_the_auditor_may_not_unlock(client_as, agent):
    for _ in range(3):
        attempt(Client(), "kees", "wrong", via="198.51.100.7")
    auditor = client_as("auditor")
    auditor.post("/admin/auth/user/", {"action": "unlock", "_selected_action": [agent.pk]})
    assert not SignInEvent.objects.filter(kind=SignInEventKind.UNLOCKED).exists()
    assert attempt(Client(), "kees", PASSWORD, via="198.51.100.7").status_code == 429
