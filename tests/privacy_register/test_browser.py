"""The privacy officer's day in a real browser (Playwright driving Debian's chromium): log in, edit
a processing activity in the admin, see the preview and the difference with the published
statement, confirm, and read the new wording on the public page. Saves the screenshots the README
shows (UPDATE_SCREENSHOTS=1)."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.roles import PRIVACY_OFFICER, setup_roles
from privacy_register.models import ProcessingActivity, PublishedStatement
from privacy_register.services import statement_publish
from tests.conftest import browser_log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PURPOSE = "Je op de hoogte houden van lesmateriaal voor jouw vak, hooguit één keer per week."


def test_the_officer_edits_the_register_and_publishes_the_statement(page, live_server, screenshots):
    setup_roles()
    call_command("load_rezulto_register", verbosity=0)
    UserFactory(username="priya", role=PRIVACY_OFFICER)
    activity = ProcessingActivity.objects.get(slug="nieuwsbrieven")
    old_purpose = activity.purposes
    statement_publish(by=None)  # version 1, as the register was loaded

    browser_log_in(page, live_server, "priya")
    page.wait_for_url("**/admin/")

    page.goto(f"{live_server.url}/admin/privacy_register/processingactivity/")
    page.screenshot(path=screenshots / "admin-register.png", full_page=True)
    page.get_by_role("link", name=activity.name, exact=True).click()
    page.locator("#id_purposes").fill(NEW_PURPOSE)
    page.locator("#id_internal_note").fill("Nog navragen bij marketing: frequentie klopt?")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("met succes gewijzigd")

    page.get_by_role("link", name="Privacyverklaring publiceren: voorvertoning en verschil").click()
    # The confirm step: the difference with version 1 and the preview, nothing published yet.
    expect(page.locator(".statement-changes .added")).to_contain_text(NEW_PURPOSE)
    expect(page.locator(".statement-changes .removed")).to_contain_text(old_purpose)
    expect(page.locator(".statement-preview")).to_contain_text(NEW_PURPOSE)
    expect(page.locator(".statement-preview")).not_to_contain_text("Nog navragen")
    page.screenshot(path=screenshots / "admin-publish-preview.png", full_page=True)
    assert PublishedStatement.objects.count() == 1
    page.get_by_role("button", name="Deze versie publiceren").click()
    expect(page.locator(".messagelist")).to_contain_text("Versie 2 van de privacyverklaring")

    page.goto(f"{live_server.url}/privacy/verklaring/")
    expect(page.get_by_text(NEW_PURPOSE)).to_be_visible()
    page.screenshot(path=screenshots / "privacy-statement.png")
    expect(page.get_by_text("Nog navragen")).to_have_count(0)
    statement = PublishedStatement.objects.latest()
    assert statement.version == 2
    assert NEW_PURPOSE in statement.content and statement.published_by.username == "priya"
    assert "Nog navragen" not in statement.content
    assert activity.history.latest().history_user.username == "priya"
