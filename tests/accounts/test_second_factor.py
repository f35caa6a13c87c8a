"""The second factor (django-allauth's mfa): with STAFF_MFA_REQUIRED a staff member enrols TOTP at
first sign-in and passes it at every sign-in; staff pages refuse a session without it; recovery
codes work once each."""

import time

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)

from accounts.models import SignInEvent, SignInEventKind

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def second_factor_required(settings):
    settings.STAFF_MFA_REQUIRED = True


def code_now(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(client, username):
    return client.post("/accounts/login/", {"login": username, "password": PASSWORD})


@pytest.mark.parametrize(
    ("role", "url"), [("privacy_officer", "/admin/"), ("auditor", "/admin/"), ("agent", "/desk/")]
)
def test_a_staff_page_is_refused_without_the_second_factor(
    second_factor_required, client_as, role, url
):
    response = client_as(role).get(url)
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/"


def test_without_the_requirement_staff_pages_open_as_before(client_as):
    assert client_as("privacy_officer").get("/admin/").status_code == 200


def test_a_user_without_a_role_is_not_asked_for_a_factor(second_factor_required, client_as):
    assert client_as("no_role").get("/").status_code == 302  # to the desk, which refuses them


def test_a_recovery_code_works_once(second_factor_required, client, privacy_officer):
    TOTP.activate(privacy_officer, generate_totp_secret())
    codes = RecoveryCodes.activate(privacy_officer).get_unused_codes()
    sign_in(client, "priya")
    assert client.post("/accounts/2fa/authenticate/", {"code": codes[0]}).status_code == 302
    assert client.get("/admin/").status_code == 200
    client.post("/accounts/logout/")
    sign_in(client, "priya")
    assert client.post("/accounts/2fa/authenticate/", {"code": codes[0]}).status_code == 200
    assert "_auth_user_id" not in client.session
    assert client.post("/accounts/2fa/authenticate/", {"code": codes[1]}).status_code == 302
    assert SignInEvent.objects.filter(
        user=privacy_officer, kind=SignInEventKind.SIGNED_IN, method="password+recovery_codes"
    ).exists()


def test_an_enrolled_user_forced_in_without_the_factor_must_sign_in_again(
    second_factor_required, client, privacy_officer
):
    TOTP.activate(privacy_officer, generate_totp_secret())
    client.force_login(privacy_officer)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
