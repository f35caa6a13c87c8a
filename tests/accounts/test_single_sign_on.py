"""Single sign-on against a real OpenID Connect provider (node's oidc-provider, started by the
test from tests/accounts/oidc/): discovery, the code flow with PKCE, the ID token's signature,
nonce, audience and expiry checked, group claims mapped to our roles at every sign-in, local
passwords switched off for SSO users."""

import json
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model

from accounts.models import SignInEvent, SignInEventKind
from accounts.roles import AGENT, AUDITOR, PRIVACY_OFFICER

pytestmark = pytest.mark.django_db

HERE = Path(__file__).parent / "oidc"
CALLBACK = "http://testserver/accounts/oidc/office/login/callback/"
GROUP_ROLES = {"po-officers": PRIVACY_OFFICER, "po-auditors": AUDITOR, "po-desk": AGENT}


@pytest.fixture(scope="session")
def node_modules():
    if shutil.which("npm") is None or shutil.which("node") is None:
        pytest.skip("npm and node are not installed: the OIDC provider of these tests needs them")
    if not (HERE / "node_modules" / "oidc-provider").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Provider:
    """One running provider; `accounts` is what its directory says (rewritten between sign-ins)."""

    def __init__(self, tmp_path, tamper=None):
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.accounts_file = tmp_path / "accounts.json"
        self.accounts = {}
        env = {
            "PATH": str(Path(shutil.which("node")).parent),
            "OIDC_PORT": str(self.port),
            "OIDC_ISSUER": self.issuer,
            "OIDC_CLIENT_ID": "privacy-office",
            "OIDC_CLIENT_SECRET": "a-long-client-secret-for-the-test-only",
            "OIDC_REDIRECT_URI": CALLBACK,
            "OIDC_ACCOUNTS_FILE": str(self.accounts_file),
            "OIDC_TAMPER": json.dumps(tamper),
        }
        self.process = subprocess.Popen(
            ["node", "provider.mjs"], cwd=HERE, env=env, stdout=subprocess.PIPE, text=True
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                requests.get(f"{self.issuer}/.well-known/openid-configuration", timeout=1)
                return
            except requests.ConnectionError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the OIDC provider did not start")

    def directory(self, **accounts):
        self.accounts = accounts
        self.accounts_file.write_text(json.dumps(accounts))

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def start_provider(node_modules, tmp_path, settings, roles):
    started = []

    def start(tamper=None, local_passwords=True):
        provider = Provider(tmp_path, tamper)
        started.append(provider)
        settings.OIDC_SERVER_URL = provider.issuer
        settings.OIDC_CLIENT_ID = "privacy-office"
        settings.OIDC_CLIENT_SECRET = "a-long-client-secret-for-the-test-only"
        settings.OIDC_GROUP_ROLES = GROUP_ROLES
        settings.OIDC_LOCAL_PASSWORDS = local_passwords
        return provider

    yield start
    for provider in started:
        provider.stop()


def person(groups, **claims):
    return {
        "preferred_username": claims.get("username", "sanne"),
        "given_name": "Sanne",
        "family_name": "de Vries",
        "email": "sanne@rezulto.example",
        "email_verified": True,
        "groups": groups,
    }


def sso_sign_in(client, provider, who="sanne"):
    """The browser's part: start at our site, sign in at the provider, come back with the code."""
    start = client.post(f"/accounts/oidc/office/login/?auth_params=login_hint%3D{who}")
    assert start.status_code == 302
    authorize = start["Location"]
    query = parse_qs(urlsplit(authorize).query)
    assert authorize.startswith(f"{provider.issuer}/auth?")  # from the discovery document
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) == 43
    assert len(query["nonce"][0]) >= 32
    browser = requests.Session()
    url = authorize
    for _ in range(10):
        response = browser.get(url, allow_redirects=False, timeout=10)
        assert response.status_code in (302, 303), response.text
        url = urljoin(url, response.headers["Location"])
        if url.startswith("http://testserver/"):
            break
    back = urlsplit(url)
    return client.get(back.path, parse_qs(back.query))


def test_a_colleague_signs_in_with_the_company_account_and_gets_the_mapped_role(
    client, start_provider
):
    provider = start_provider()
    provider.directory(sanne=person(["po-auditors", "all-staff"]))
    response = sso_sign_in(client, provider)
    assert response.status_code == 302, response.content.decode()[:2000]
    user = get_user_model().objects.get(username="sanne")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert list(user.groups.values_list("name", flat=True)) == [AUDITOR]
    assert user.is_staff
    assert client.get("/admin/").status_code == 200
    line = SignInEvent.objects.get(kind=SignInEventKind.SIGNED_IN, user=user)
    assert line.method.startswith("sso:")
    role = SignInEvent.objects.get(kind=SignInEventKind.ROLE_CHANGED, user=user)
    assert (role.detail, role.method) == ("+Auditor", "sso")


def test_the_role_goes_at_the_next_sign_in_once_the_group_is_gone(client, start_provider):
    provider = start_provider()
    provider.directory(sanne=person(["po-officers"]))
    sso_sign_in(client, provider)
    user = get_user_model().objects.get(username="sanne")
    assert [g.name for g in user.groups.all()] == [PRIVACY_OFFICER]
    client.post("/accounts/logout/")

    provider.directory(sanne=person(["po-desk"]))  # moved from the officers to the desk
    sso_sign_in(client, provider)
    user.refresh_from_db()
    assert [g.name for g in user.groups.all()] == [AGENT] and not user.is_staff
    assert client.get("/admin/").status_code == 302
    client.post("/accounts/logout/")

    provider.directory(sanne=person(["all-staff"]))  # no role left
    sso_sign_in(client, provider)
    assert not user.groups.exists()
    changes = SignInEvent.objects.filter(kind=SignInEventKind.ROLE_CHANGED, user=user)
    assert sorted(changes.values_list("detail", flat=True)) == [
        "+Klantenservice",
        "+Privacy officer",
        "-Klantenservice",
        "-Privacy officer",
    ]


def test_nobody_gets_an_account_without_a_mapped_group(client, start_provider):
    provider = start_provider()
    provider.directory(sanne=person(["all-staff"]))
    sso_sign_in(client, provider)
    assert not get_user_model().objects.filter(username="sanne").exists()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("local_passwords", [True, False])
def test_local_passwords_can_be_switched_off_for_sso_users(client, start_provider, local_passwords):
    provider = start_provider(local_passwords=local_passwords)
    provider.directory(sanne=person(["po-desk"]))
    sso_sign_in(client, provider)
    user = get_user_model().objects.get(username="sanne")
    user.set_password("a-local-password-set-later")  # by the officer, say
    user.save()
    client.post("/accounts/logout/")
    by_password = client.post(
        "/accounts/login/", {"login": "sanne", "password": "a-local-password-set-later"}
    )
    assert ("_auth_user_id" in client.session) is local_passwords
    if not local_passwords:
        assert by_password.status_code == 200
        assert "Gebruikersnaam of wachtwoord klopt niet" in by_password.content.decode()
        sso_sign_in(client, provider)  # SSO still works, and leaves no usable password
        user.refresh_from_db()
        assert "_auth_user_id" in client.session and not user.has_usable_password()


@pytest.mark.parametrize(
    "tamper",
    [
        {"nonce": "not-the-nonce-we-sent"},
        {"aud": "another-client"},
        {"expired": True},
        {"foreign_key": True},
    ],
    ids=["wrong nonce", "wrong audience", "expired", "signed with another key"],
)
def test_an_id_token_that_does_not_check_out_signs_nobody_in(client, start_provider, tamper):
    provider = start_provider(tamper=tamper)
    provider.directory(sanne=person(["po-officers"]))
    response = sso_sign_in(client, provider)
    assert response.status_code == 401  # allauth's "sign-in failed" page
    assert "_auth_user_id" not in client.session
    assert not get_user_model().objects.filter(username="sanne").exists()


def test_a_token_re_signed_unchanged_by_the_same_provider_still_signs_in(client, start_provider):
    """The control for the test above: the provider's re-signing itself breaks nothing, so each
    refusal there is the check it names."""
    provider = start_provider(tamper={"aud": "privacy-office"})
    provider.directory(sanne=person(["po-officers"]))
    assert sso_sign_in(client, provider).status_code == 302
    assert "_auth_user_id" in client.session


def test_sso_is_off_without_its_settings(client, roles):
    assert client.post("/accounts/oidc/office/login/").status_code == 404


@pytest.mark.parametrize("provider_asks_a_factor", [True, False])
def test_with_the_second_factor_required_sso_counts_as_one_only_if_so_configured(
    client, start_provider, settings, provider_asks_a_factor
):
    settings.STAFF_MFA_REQUIRED = True
    settings.OIDC_COUNTS_AS_SECOND_FACTOR = provider_asks_a_factor
    provider = start_provider()
    provider.directory(sanne=person(["po-officers"]))
    sso_sign_in(client, provider)
    response = client.get("/admin/")
    if provider_asks_a_factor:
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and response["Location"] == "/accounts/2fa/"
