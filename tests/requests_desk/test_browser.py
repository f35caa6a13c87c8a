"""An agent's working day in a real browser (Playwright driving Debian's chromium): log in, take
in a phone request, verify the identity, tick the tasks, complete it with the letter. Saves the
screenshots the README shows."""

import io

import pytest
from django.core.management import call_command

from requests_desk.models import DataSubjectRequest, OutboxMessage, Status
from tests.conftest import browser_log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_agent_takes_in_and_completes_a_phone_request(page, live_server, screenshots):
    from accounts.roles import AGENT, setup_roles

    setup_roles()
    call_command("load_rezulto_register", verbosity=0)
    UserFactory(username="kees", first_name="Kees", last_name="de Boer", role=AGENT)

    browser_log_in(page, live_server, "kees")
    page.wait_for_url("**/desk/")

    page.get_by_role("link", name="Nieuw verzoek").first.click()
    page.locator("#id_kind").select_option("access")
    page.locator("#id_channel").select_option("phone")
    page.locator("#id_requester_name").fill("Joke de Vries")
    page.locator("#id_requester_email").fill("joke@school.example")
    page.locator("#id_requester_phone").fill("0612345678")
    page.get_by_role("button", name="Verzoek aanmaken").click()
    page.wait_for_load_state()
    assert "is aangemaakt" in page.content(), page.inner_text("main")
    request = DataSubjectRequest.objects.get()

    page.get_by_label("Hoe is de identiteit gecontroleerd?").select_option("callback")
    page.get_by_role("button", name="Identiteit gecontroleerd").click()
    page.get_by_text("vastgelegd als gecontroleerd").wait_for()
    page.get_by_role("button", name="Aan mij toewijzen").click()

    # Every task in one action: the script's "select all" box, then one submit.
    page.get_by_label("Alle open taken selecteren").check()
    page.get_by_role("button", name="Geselecteerde taken afvinken").click()
    page.get_by_text("taken afgevinkt").wait_for()
    assert not request.tasks.filter(done_at__isnull=True).exists()
    page.screenshot(path=str(screenshots / "desk-request.png"), full_page=True)

    page.get_by_label("Uitkomst").fill("U ontvangt het overzicht van uw gegevens als bijlage.")
    page.get_by_role("button", name="Afronden en brief versturen").click()
    page.get_by_text("afgerond en de brief staat klaar").wait_for()

    request.refresh_from_db()
    assert request.status == Status.COMPLETED
    assert OutboxMessage.objects.filter(request=request, letter_kind="completion").exists()

    # A living queue for the screenshot: the desk's demo requests, in every state.
    from requests_desk import demo

    demo.load(stdout=io.StringIO())
    page.get_by_role("link", name="Wachtrij").first.click()
    page.get_by_role("link", name="Alle open").click()
    assert "AVG-" in page.inner_text("table")
    page.screenshot(path=str(screenshots / "desk-queue.png"), full_page=True)
