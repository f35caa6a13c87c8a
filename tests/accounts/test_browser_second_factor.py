"""The second factor in a real browser (Playwright driving Debian's chromium): the privacy officer
signs in with a password, is sent to enrol an authenticator app, scans (reads) the secret, types
its code, and at the next sign-in passes password and code to reach the admin."""

import time

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from accounts.roles import PRIVACY_OFFICER, setup_roles
from tests.conftest import browser_log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_now(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_sign_in_with_a_password_and_an_authenticator_app(page, live_server, settings, screenshots):
    settings.STAFF_MFA_REQUIRED = True
    setup_roles()
    UserFactory(username="priya", role=PRIVACY_OFFICER)

    browser_log_in(page, live_server, "priya")
    page.goto(f"{live_server.url}/admin/")
    page.wait_for_url("**/accounts/2fa/")
    page.goto(f"{live_server.url}/accounts/2fa/totp/activate/")
    assert page.locator('img[src^="data:image/svg+xml"]').count() == 1  # the QR code
    secret = page.locator("#authenticator_secret").input_value()
    page.screenshot(path=screenshots / "second-factor-enrol.png", full_page=True)
    page.locator('input[name="code"]').fill(code_now(secret))
    page.locator('form button[type="submit"]').last.click()
    page.wait_for_url(lambda url: "/totp/activate/" not in url)
    page.goto(f"{live_server.url}/admin/")
    assert page.url.endswith("/admin/")

    page.locator("form[action$='/logout/'] button").first.click()
    page.wait_for_url(lambda url: "/admin/" not in url)
    # allauth refuses a code already used for the rest of its 30 seconds (a replay), and the
    # enrolment used this period's: the next sign-in is a period later, as a person's would be.
    with time_machine.travel(time.time() + 30, tick=True):
        browser_log_in(page, live_server, "priya")
        page.wait_for_url("**/accounts/2fa/authenticate/")
        page.locator('input[name="code"]').fill(code_now(secret))
        page.screenshot(path=screenshots / "second-factor-code.png", full_page=True)
        page.locator('input[name="code"]').press("Enter")
        page.wait_for_url("**/admin/")
    assert page.locator("#user-tools").count() == 1  # signed in: the admin names the user
