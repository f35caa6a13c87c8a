"""A security key (WebAuthn) through allauth's own pages, with a software authenticator that
answers exactly what the page's script would hand the browser: enrolled as the first factor right
after signing in, then the second factor of the next sign-in; another key, or a replayed answer,
is refused."""

import json

import pytest
from django.test import Client

from accounts.models import SignInEvent, SignInEventKind
from tests.accounts.software_authenticator import SoftwareAuthenticator, js_data

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def sign_in(client):
    return client.post("/accounts/login/", {"login": "priya", "password": PASSWORD})


def enrol(client, key, captured):
    page = client.get("/accounts/2fa/webauthn/add/")
    assert page.status_code == 200
    credential = key.create(js_data(page.text)["creation_options"])
    with captured(execute=True):
        return client.post(
            "/accounts/2fa/webauthn/add/",
            {"name": "Sleutel aan de bos", "credential": json.dumps(credential)},
        )


def test_a_security_key_is_enrolled_and_then_signs_in(
    settings, client, privacy_officer, django_capture_on_commit_callbacks
):
    settings.STAFF_MFA_REQUIRED = True
    key = SoftwareAuthenticator()
    sign_in(client)
    assert client.get("/admin/")["Location"] == "/accounts/2fa/"
    response = enrol(client, key, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert privacy_officer.authenticator_set.filter(type="webauthn").exists()
    assert client.get("/admin/").status_code == 200
    client.post("/accounts/logout/")

    assert sign_in(client)["Location"] == "/accounts/2fa/authenticate/"
    page = client.get("/accounts/2fa/authenticate/")
    answer = key.get(js_data(page.text)["request_options"])
    response = client.post("/accounts/2fa/authenticate/", {"credential": json.dumps(answer)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert SignInEvent.objects.filter(
        user=privacy_officer, kind=SignInEventKind.SIGNED_IN, method="password+webauthn"
    ).exists()
    assert SignInEvent.objects.filter(kind=SignInEventKind.FACTOR_ADDED, method="webauthn").exists()

    # The same answer again (a replay) does not sign in a new session.
    other = Client()
    sign_in(other)
    other.get("/accounts/2fa/authenticate/")
    replay = other.post("/accounts/2fa/authenticate/", {"credential": json.dumps(answer)})
    assert replay.status_code == 200 and "_auth_user_id" not in other.session


def test_another_key_is_refused(
    settings, client, privacy_officer, django_capture_on_commit_callbacks
):
    settings.STAFF_MFA_REQUIRED = True
    key, stranger = SoftwareAuthenticator(), SoftwareAuthenticator()
    sign_in(client)
    enrol(client, key, django_capture_on_commit_callbacks)
    client.post("/accounts/logout/")
    sign_in(client)
    options = js_data(client.get("/accounts/2fa/authenticate/").text)["request_options"]
    stranger.credential_id = key.credential_id  # claims the enrolled key, signs with another
    stranger.user_handle = key.user_handle
    answer = stranger.get(options)
    response = client.post("/accounts/2fa/authenticate/", {"credential": json.dumps(answer)})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
