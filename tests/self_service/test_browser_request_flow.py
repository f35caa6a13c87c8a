"""In a real browser (Debian's chromium through Playwright, no JavaScript needed by the pages): a
person files an access request, follows the link from the mail, and an agent sees the request in
the desk's queue. Also takes the screenshots for the README."""

import os
import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def page():
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        context = browser.new_context(
            locale="nl-NL", viewport={"width": 1200, "height": 900}, java_script_enabled=False
        )
        yield context.new_page()
        browser.close()


def test_an_access_request_filed_on_the_site_reaches_the_agents_queue(page, live_server, agent):
    page.goto(f"{live_server.url}/privacy/verzoek/")
    page.get_by_label("Inzage in mijn gegevens").check()
    page.get_by_label("Je naam").fill("Fatima de Vries")
    page.get_by_label("Je e-mailadres").fill("fatima@voorbeeld.nl")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "public-request-form.png", full_page=True)
    page.get_by_role("button", name="Verzoek versturen").click()
    expect(page.get_by_role("heading", name="Kijk in je mailbox")).to_be_visible()

    [message] = mail.outbox
    [link] = re.findall(r"https?://\S+", message.body)
    page.goto(link)
    page.get_by_role("button", name="Ja, bevestig mijn verzoek").click()
    expect(page.get_by_role("heading", name="Je verzoek is ontvangen")).to_be_visible()
    reference = re.search(r"AVG-\d{4}-\d{5}", page.content()).group(0)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill("kees")
    page.get_by_label("Wachtwoord").fill("correct-horse-battery")
    page.get_by_role("button", name="Inloggen").click()
    page.goto(f"{live_server.url}/desk/")
    page.get_by_role("link", name="Niet toegewezen").click()
    row = page.get_by_role("row").filter(has_text=reference)
    expect(row).to_have_count(1)  # waits for the page, unlike row.count()
    expect(row).to_contain_text("Fatima de Vries")


@pytest.fixture
def ledger_emptied_after():
    """The ledger refuses deletes (triggers); empty it behind this transactional test so that the
    flush that follows can run."""
    yield
    from django.db import connection

    from consents import triggers
    from consents.models import ConsentState

    triggers.drop(connection)
    ConsentState.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {triggers.TABLE}")
    triggers.create(connection)


def test_a_person_unsubscribes_in_the_preference_centre(
    page, live_server, settings, ledger_emptied_after
):
    from consents.models import Action, ConsentEvent, Method
    from consents.services import consent_give
    from self_service.links import preference_centre_url
    from tests.factories import DataSubjectFactory, purpose_with_wording

    settings.SELF_SERVICE_BASE_URL = live_server.url
    newsletter = purpose_with_wording(
        "Ja, stuur mij de nieuwsbrief Primair Onderwijs met lesideeën en nieuws uit het vak.",
        name="Nieuwsbrief Primair Onderwijs",
    )
    purpose_with_wording(
        "Rezulto mag mij per e-mail aanbiedingen sturen voor trainingen en abonnementen.",
        name="Aanbiedingen per e-mail",
    )
    purpose_with_wording(
        "Rezulto mag mij bellen over aanbiedingen die passen bij mijn functie.",
        name="Telefonische aanbiedingen",
        channel="phone",
    )
    person = DataSubjectFactory(email="joke@school.example", name="Joke de Vries")
    consent_give(subject=person, purpose=newsletter, method=Method.DOUBLE_OPT_IN)

    page.goto(preference_centre_url(person))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "preference-centre.png", full_page=True)
    page.get_by_role("group", name="Nieuwsbrief Primair Onderwijs").get_by_label(
        "Nee, liever niet"
    ).check()
    page.get_by_role("button", name="Voorkeuren opslaan").click()

    expect(page.get_by_text("Je voorkeuren zijn opgeslagen.")).to_be_visible()
    event = ConsentEvent.objects.order_by("-sequence").first()
    assert (event.action, event.method) == (Action.WITHDRAWN, Method.PREFERENCE_CENTRE)
