"""In a real browser (Debian's chromium through Playwright, no JavaScript needed by the pages): a
person files an access request, follows the link from the mail, and an agent sees the request in
the desk's queue. Also takes the screenshots for the README."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.conftest import browser_log_in
from tests.consents.conftest import clear_ledger

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_access_request_filed_on_the_site_reaches_the_agents_queue(
    page, live_server, agent, screenshots
):
    page.goto(f"{live_server.url}/privacy/verzoek/")
    page.get_by_label("Inzage in mijn gegevens").check()
    page.get_by_label("Je naam").fill("Fatima de Vries")
    page.get_by_label("Je e-mailadres").fill("fatima@voorbeeld.nl")
    page.screenshot(path=screenshots / "public-request-form.png", full_page=True)
    page.get_by_role("button", name="Verzoek versturen").click()
    expect(page.get_by_role("heading", name="Kijk in je mailbox")).to_be_visible()

    [message] = mail.outbox
    [link] = re.findall(r"https?://\S+", message.body)
    page.goto(link)
    page.get_by_role("button", name="Ja, bevestig mijn verzoek").click()
    expect(page.get_by_role("heading", name="Je verzoek is ontvangen")).to_be_visible()
    reference = re.search(r"AVG-\d{4}-\d{5}", page.content()).group(0)

    browser_log_in(page, live_server, "kees")
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
    clear_ledger()


def test_a_person_unsubscribes_in_the_preference_centre(
    page, live_server, settings, ledger_emptied_after, screenshots
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
    page.screenshot(path=screenshots / "preference-centre.png", full_page=True)
    page.get_by_role("group", name="Nieuwsbrief Primair Onderwijs").get_by_label(
        "Nee, liever niet"
    ).check()
    page.get_by_role("button", name="Voorkeuren opslaan").click()

    expect(page.get_by_text("Je voorkeuren zijn opgeslagen.")).to_be_visible()
    event = ConsentEvent.objects.order_by("-sequence").first()
    assert (event.action, event.method) == (Action.WITHDRAWN, Method.PREFERENCE_CENTRE)


def test_a_person_unsubscribes_in_one_click_from_a_mail(
    page, live_server, settings, ledger_emptied_after, screenshots
):
    from consents.models import Action, ConsentEvent, Method
    from consents.selectors import may_contact
    from consents.services import consent_give
    from consents.tokens import unsubscribe_url
    from tests.factories import DataSubjectFactory, purpose_with_wording

    settings.SITE_URL = live_server.url
    newsletter = purpose_with_wording(name="Nieuwsbrief Voortgezet Onderwijs")
    person = DataSubjectFactory(email="joke@school.example")
    consent_give(subject=person, purpose=newsletter, method=Method.DOUBLE_OPT_IN)

    page.goto(unsubscribe_url(subject=person, purpose=newsletter))
    expect(page.get_by_text("Nieuwsbrief Voortgezet Onderwijs")).to_be_visible()
    page.screenshot(path=screenshots / "unsubscribe.png", full_page=True)
    page.get_by_role("button", name="Ja, meld mij af").click()

    expect(page.get_by_role("heading", name="Je bent afgemeld")).to_be_visible()
    event = ConsentEvent.objects.order_by("-sequence").first()
    assert (event.action, event.method) == (Action.WITHDRAWN, Method.UNSUBSCRIBE_LINK)
    assert not may_contact(email="joke@school.example", purpose=newsletter)
