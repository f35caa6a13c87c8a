"""URL × role → status for the project's own pages and the admin entry points. Every app adds
its URLs in its own test_permissions.py with the same helper."""

import pytest

from tests.conftest import assert_status

# Every row but the anonymous ones makes users; run alone, the file would otherwise reach the
# database before pytest-django set it up.
pytestmark = pytest.mark.django_db

LOGIN_REDIRECT = 302

MATRIX = {
    # url: {role: expected status}
    "/accounts/login/": {
        "anonymous": 200,
        "no_role": 200,
        "agent": 200,
        "privacy_officer": 200,
        "auditor": 200,
    },
    "/admin/": {  # the privacy officer's start page (accounts.start_page); agents start in the desk
        "anonymous": 302,
        "no_role": 302,
        "agent": 302,
        "privacy_officer": 200,
        "auditor": 200,
    },
    "/admin/auth/user/": {
        "anonymous": 302,
        "no_role": 302,
        "agent": 302,
        "privacy_officer": 200,
        "auditor": 200,
    },
    "/admin/auth/user/add/": {
        "anonymous": 302,
        "no_role": 302,
        "agent": 302,
        "privacy_officer": 200,
        "auditor": 403,
    },
    # The opt-in list's template file: for whoever may import (the privacy officer).
    "/admin/consents/consentevent/import/sjabloon/": {
        "anonymous": 302,
        "no_role": 302,
        "agent": 302,
        "privacy_officer": 200,
        "auditor": 403,
    },
    "/admin/auth/group/": {
        "anonymous": 302,
        "no_role": 302,
        "agent": 302,
        "privacy_officer": 200,
        "auditor": 200,
    },
    # The second factor (allauth's mfa pages): every signed-in user manages their own factors.
    "/accounts/2fa/": {
        "anonymous": 302,
        "no_role": 200,
        "agent": 200,
        "privacy_officer": 200,
        "auditor": 200,
    },
    "/accounts/2fa/recovery-codes/": {  # none before another factor: nothing to show
        "anonymous": 302,
        "no_role": 404,
        "agent": 404,
        "privacy_officer": 404,
        "auditor": 404,
    },
    # Without a sign-in in this session (force_login) a factor is added only after the
    # password again; right after a real sign-in the first one is not (test_second_factor).
    "/accounts/2fa/totp/activate/": dict.fromkeys(
        ("anonymous", "no_role", "agent", "privacy_officer", "auditor"), 302
    ),
    "/accounts/2fa/webauthn/add/": dict.fromkeys(
        ("anonymous", "no_role", "agent", "privacy_officer", "auditor"), 302
    ),
    "/accounts/reauthenticate/": {
        "anonymous": 302,
        "no_role": 200,
        "agent": 200,
        "privacy_officer": 200,
        "auditor": 200,
    },
    # allauth's pages the office does not offer.
    **{
        url: dict.fromkeys(("anonymous", "no_role", "agent", "privacy_officer", "auditor"), 404)
        for url in (
            "/accounts/signup/",
            "/accounts/password/reset/",
            "/accounts/password/change/",
            "/accounts/email/",
            "/accounts/login/code/",
            "/accounts/3rdparty/",
            "/accounts/oidc/office/login/",  # single sign-on is off without its settings
        )
    },
    "/admin/accounts/signinevent/": {
        "anonymous": 302,
        "no_role": 302,
        "agent": 302,
        "privacy_officer": 200,
        "auditor": 200,
    },
    # The API's schema and docs are public (they describe, they hold no data); its endpoints take
    # a key, never a staff session (tests/api/test_permissions.py: endpoint × scope × role).
    "/api/v1/schema/": dict.fromkeys(
        ("anonymous", "no_role", "agent", "privacy_officer", "auditor"), 200
    ),
    "/api/v1/docs/": dict.fromkeys(
        ("anonymous", "no_role", "agent", "privacy_officer", "auditor"), 200
    ),
    "/api/v1/webhooks/": dict.fromkeys(
        ("anonymous", "no_role", "agent", "privacy_officer", "auditor"), 401
    ),
}


@pytest.mark.parametrize(
    ("url", "role"), [(url, role) for url, row in MATRIX.items() for role in row]
)
def test_permission_matrix(client_as, url, role):
    assert_status(client_as(role), url, MATRIX[url][role])


def test_home_sends_staff_to_the_admin(client_as):
    response = client_as("auditor").get("/")
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_home_asks_anonymous_visitors_to_log_in(client_as):
    response = client_as("anonymous").get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_logout_is_a_post(client_as):
    client = client_as("agent")
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
