"""The privacy officer's start page in a real browser (Playwright driving Debian's chromium): log
in, land on the start page, see what needs attention, and follow an item to where it is handled."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import PRIVACY_OFFICER, setup_roles
from tests.conftest import browser_log_in
from tests.factories import UserFactory
from tests.factories.breaches import report_breach
from tests.factories.desk import DataSubjectRequestFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_officer_lands_on_the_start_page_and_follows_a_late_request(
    page, live_server, screenshots
):
    setup_roles()
    call_command("load_rezulto_register", verbosity=0)
    officer = UserFactory(username="priya", role=PRIVACY_OFFICER)
    today = timezone.localdate()
    late = DataSubjectRequestFactory(due_on=today - dt.timedelta(days=3), target_on=today)
    report_breach(by=officer, title="Laptop in de trein laten liggen")

    browser_log_in(page, live_server, "priya")
    page.wait_for_url("**/admin/")
    expect(page.get_by_role("heading", name="Wat aandacht vraagt")).to_be_visible()
    requests = page.locator("#attention-requests")
    expect(requests).to_contain_text("3 dag(en) over de datum")
    expect(page.locator("#attention-breaches")).to_contain_text("Laptop in de trein laten liggen")
    expect(page.locator("#attention-breaches")).to_contain_text("uur om te melden")
    expect(page.locator("#attention-completeness")).to_be_visible()
    page.screenshot(path=screenshots / "officer-start-page.png", full_page=True)

    requests.get_by_role("link", name=late.reference, exact=False).click()
    page.wait_for_url(f"**/desk/{late.reference}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(late.reference)
