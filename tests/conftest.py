"""Shared fixtures: one named user per role (after healthchecks' alice/bob/charlie), and the
permission-matrix helper that every app's tests use for its URLs."""

import os
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from accounts.roles import AGENT, AUDITOR, PRIVACY_OFFICER, setup_roles
from config.storage import storages_from_url
from tests.factories import UserFactory

# Property tests check invariants, not speed: no per-example deadline on a busy CI machine.
hypothesis_settings.register_profile("privacy-office", deadline=None)
hypothesis_settings.load_profile("privacy-office")

DOCS_SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"

# The rows of every permission matrix: anonymous, a user without a role, and the three roles.
MATRIX_ROLES = ("anonymous", "no_role", "agent", "privacy_officer", "auditor")
# Rows for admin pages: everyone without a staff role is sent to the admin's login page; the
# officer and the auditor look, or neither may (adding or deleting records the services write).
ADMIN_OUT = {"anonymous": 302, "no_role": 302, "agent": 302}
ADMIN_LOOK = {**ADMIN_OUT, "privacy_officer": 200, "auditor": 200}
ADMIN_NEVER = {**ADMIN_OUT, "privacy_officer": 403, "auditor": 403}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2's deliberate slowness protects real passwords, not test users: MD5 in tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def demo_webshop_in_tmp(monkeypatch, tmp_path):
    """The demo's second database (connectors/demo.py) goes to the test's own folder, not var/."""
    monkeypatch.setenv("WEBSHOP_DATABASE_URL", f"sqlite:///{tmp_path / 'webshop.sqlite3'}")


@pytest.fixture(autouse=True)
def second_factor_off(settings):
    """Tests log staff in with force_login; the second factor is required only where a test turns
    it on (the `second_factor_required` fixture of tests/accounts)."""
    settings.STAFF_MFA_REQUIRED = False


@pytest.fixture(autouse=True)
def dutch_by_default():
    """A request in English leaves the thread's language behind; every test starts in Dutch."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


# TEST_STORAGE=s3 runs the whole suite with every file in a real S3 server (.ci/run does so).
TEST_STORAGE = os.environ.get("TEST_STORAGE", "file")


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server on 127.0.0.1, one per test process, with one bucket."""
    from tests.s3_server import S3Server

    server = S3Server()
    server.bucket = server.new_bucket()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def media(settings, tmp_path, request):
    """Files a test writes (access packages, exports) go to its own folder, not var/media; with
    TEST_STORAGE=s3, to its own prefix in the S3 server's bucket. Access packages are encrypted
    under a key of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_ENCRYPTION_KEYS = []
    settings.FILE_ENCRYPTION_KEY_FILE = tmp_path / "file-encryption.key"
    if TEST_STORAGE == "s3":
        server = request.getfixturevalue("s3_server")
        settings.STORAGES = storages_from_url(
            server.storage_url(server.bucket, prefix=f"t-{uuid.uuid4().hex}"),
            static_backend=settings.STORAGES["staticfiles"]["BACKEND"],
        )
    return settings.MEDIA_ROOT


# The tests' own ledger keys: never the files a developer's var/keys/ holds.
TEST_LEDGER_KEY = "test-ledger-key-not-secret"
TEST_CHECKPOINT_KEY = "dGVzdC1jaGVja3BvaW50LWtleS0zMi1ieXRlcyEhISE="  # 32 bytes, base64


@pytest.fixture(autouse=True)
def ledger_inline(settings):
    """One recorded event is integrated at once, through the batch path, as with
    CONSENT_SEQUENCER_INLINE in production: a test that counts or tampers with events sees them
    numbered without running the sequencer. The sequencer's own tests (tests/consents/
    test_sequencer.py) turn this off and queue."""
    settings.CONSENT_SEQUENCER_INLINE = True


@pytest.fixture(autouse=True)
def ledger_keys(settings, tmp_path, media):
    """The ledger is chained and signed with the tests' keys, and its store outside the database
    is the test's own folder, and so is the printed letters' (also with TEST_STORAGE=s3: tests
    read the store's files; tests/platform/test_storage.py runs the ledger's store in the S3
    server)."""
    settings.CONSENT_LEDGER_KEY = TEST_LEDGER_KEY
    settings.CONSENT_CHECKPOINT_KEY = TEST_CHECKPOINT_KEY
    settings.STORAGES = {
        **settings.STORAGES,
        "ledger": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "ledger-store"},
        },
        "letters": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "letters"},
        },
    }
    return tmp_path / "ledger-store"


@pytest.fixture
def register(db):
    """Rezulto's register, from which purposes, checklists and the statement are built."""
    call_command("load_rezulto_register", verbosity=0)


@pytest.fixture
def roles(db):
    setup_roles()


@pytest.fixture
def privacy_officer(roles):
    return UserFactory(username="priya", role=PRIVACY_OFFICER)


@pytest.fixture
def agent(roles):
    return UserFactory(username="kees", role=AGENT)


@pytest.fixture
def auditor(roles):
    return UserFactory(username="anna", role=AUDITOR)


@pytest.fixture
def no_role(db):
    return UserFactory(username="nora")


@pytest.fixture
def client_as(client, request):
    """client_as("agent") logs the test client in as that role's user (or not, for anonymous)."""

    def log_in(role: str):
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return log_in


def assert_status(client, url: str, expected: int, method: str = "get", data=None):
    response = getattr(client, method)(url, data or {})
    assert response.status_code == expected, (
        f"{method.upper()} {url}: expected {expected}, got {response.status_code}"
    )
    return response


# Browser tests (marked `browser`): a page of Debian's chromium, driven by Playwright.


@pytest.fixture
def page(live_server, monkeypatch):
    """The live server's database is flushed after the test, but not its cache table (no model):
    the page's visits are counted there by the rate limits, so the cache is emptied too. Django's
    async check is off only while the browser runs (`check --deploy` refuses the variable)."""
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
        yield context.new_page()
        browser.close()
    cache.clear()


@pytest.fixture
def screenshots(tmp_path):
    """Where the screenshots go: the README's folder with UPDATE_SCREENSHOTS=1, else a temp dir
    (a test run leaves the working tree as it found it)."""
    return DOCS_SCREENSHOTS if os.environ.get("UPDATE_SCREENSHOTS") else tmp_path


def browser_log_in(page, live_server, username: str) -> None:
    """Log in through the login form as a factory-made user, and wait until it has let us in."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill("correct-horse-battery")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture
def marketing(register):
    """A soft opt-in e-mail marketing purpose on the register's marketing activity."""
    from consents.models import ConsentPurpose, ConsentPurposeVersion
    from privacy_register.models import ProcessingActivity

    activity = ProcessingActivity.objects.get(slug="marketing-email")
    purpose = ConsentPurpose.objects.create(
        slug="marketing",
        name="Marketing",
        activity=activity,
        channel="email",
        legal_basis="soft_opt_in",
    )
    ConsentPurposeVersion.objects.create(purpose=purpose, number=1, wording="Aanbiedingen")
    return purpose


@pytest.fixture
def no_broker(monkeypatch):
    """No broker: every hand-over runs in this process, as on a machine whose broker is down."""

    def down(*args, **kwargs):
        raise ConnectionError("broker down")

    from celery import current_app

    monkeypatch.setattr(current_app, "send_task", down)
