"""The second factor (django-allauth's mfa): with STAFF_MFA_REQUIRED a staff member enrols TOTP at
first sign-in and passes it at every sign-in; staff pages refuse a session without it; recovery
codes work once each."""

import datetime as dt
import os
import re
import subprocess
import sys
import time

import pytest
import time_machine
from allauth.mfa.models import Authenticator
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


FROZEN = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def code_at(secret: str, moment: dt.datetime) -> str:
    return format_hotp_value(hotp_value(secret, int(moment.timestamp()) // 30))


def test_totp_is_enrolled_at_first_sign_in_and_asked_at_the_next(
    second_factor_required, client, privacy_officer, django_capture_on_commit_callbacks
):
    """Time frozen: the code of this 30-second window opens the door, one of an hour ago not."""
    with time_machine.travel(FROZEN, tick=False):
        assert sign_in(client, "priya")["Location"] == "/"
        assert client.get("/admin/")["Location"] == "/accounts/2fa/"
        page = client.get("/accounts/2fa/totp/activate/")
        assert page.status_code == 200  # no second password prompt right after signing in
        secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', page.text)
        secret = secret.group(1) if secret else client.session["mfa.totp.secret"]
        assert 'src="data:image/svg+xml;base64,' in page.text  # the QR code to scan
        wrong = code_at(secret, FROZEN - dt.timedelta(hours=1))
        refused = client.post("/accounts/2fa/totp/activate/", {"code": wrong})
        assert refused.status_code == 200 and not Authenticator.objects.exists()
        # allauth announces the new factor on commit (the history line, this session's proof).
        with django_capture_on_commit_callbacks(execute=True):
            enrolled = client.post(
                "/accounts/2fa/totp/activate/", {"code": code_at(secret, FROZEN)}
            )
        assert enrolled.status_code == 302
        assert Authenticator.objects.filter(user=privacy_officer, type="totp").exists()
        assert client.get("/admin/").status_code == 200  # proved in this session
        client.post("/accounts/logout/")

    later = FROZEN + dt.timedelta(days=1)
    with time_machine.travel(later, tick=False):
        assert sign_in(client, "priya")["Location"] == "/accounts/2fa/authenticate/"
        assert "_auth_user_id" not in client.session  # the password alone signs nobody in
        old = code_at(secret, FROZEN)
        assert client.post("/accounts/2fa/authenticate/", {"code": old}).status_code == 200
        assert "_auth_user_id" not in client.session
        response = client.post("/accounts/2fa/authenticate/", {"code": code_at(secret, later)})
        assert response.status_code == 302
        assert client.get("/admin/").status_code == 200
    kinds = list(
        SignInEvent.objects.filter(user=privacy_officer)
        .order_by("pk")
        .values_list("kind", "method")
    )
    assert (SignInEventKind.FACTOR_ADDED, "totp") in kinds
    assert (SignInEventKind.SIGNED_IN, "password+totp") in kinds
    assert (SignInEventKind.FAILED, "mfa") in kinds


def test_a_desk_agent_is_also_sent_to_enrol(second_factor_required, client, agent):
    sign_in(client, "kees")
    assert client.get("/desk/")["Location"] == "/accounts/2fa/"


def test_changing_factors_later_asks_for_the_password_again(
    second_factor_required, client, privacy_officer
):
    """Only the first enrolment rides on the sign-in; a second factor added later needs a fresh
    proof (allauth's reauthentication), so a session left open cannot swap the factors."""
    secret = generate_totp_secret()
    TOTP.activate(privacy_officer, secret)
    sign_in(client, "priya")
    client.post("/accounts/2fa/authenticate/", {"code": code_now(secret)})
    response = client.get("/accounts/2fa/webauthn/add/")
    assert response.status_code == 302 and "/reauthenticate/" in response["Location"]


@pytest.mark.parametrize(
    ("debug", "explicit", "required"),
    [("true", None, "False"), ("false", None, "True"), ("true", "true", "True")],
    ids=["the demo of make run skips it", "production requires it", "trying it in DEBUG"],
)
def test_the_second_factor_is_required_by_default_only_without_debug(debug, explicit, required):
    """The settings as a fresh process reads them (the test process has its own overrides)."""
    env = {**os.environ, "DEBUG": debug, "SECRET_KEY": "s" * 50}
    env.pop("STAFF_MFA_REQUIRED", None)
    if explicit is not None:
        env["STAFF_MFA_REQUIRED"] = explicit
    code = "from config import settings; print(settings.STAFF_MFA_REQUIRED)"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == required
