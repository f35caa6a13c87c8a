"""Letters follow decisions, in a real browser (Playwright driving Debian's chromium): the agent
sees only the letters without a decision, cannot open or send a decision letter even by forging
the form, sends the identity check, and works off the "to post" queue."""

import pytest
from django.core.management import call_command

from requests_desk.models import OutboxMessage, PostalLetter
from tests.conftest import browser_log_in
from tests.factories import UserFactory, open_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_agent_cannot_send_a_decision_letter(page, live_server, screenshots):
    from accounts.roles import AGENT, setup_roles

    setup_roles()
    call_command("load_rezulto_register", verbosity=0)
    UserFactory(username="kees", first_name="Kees", last_name="de Boer", role=AGENT)
    request = open_request(requester_name="Joke de Vries", requester_email="joke@school.example")
    browser_log_in(page, live_server, "kees")

    page.goto(f"{live_server.url}/desk/{request.reference}/")
    letters = page.locator("section[aria-labelledby=letters-title]")
    assert letters.get_by_role("link", name="Identiteitscontrole").is_visible()
    for decision in ("Verlenging", "Afwijzing", "Afronding", "Bevestiging verwijdering"):
        assert letters.get_by_role("link", name=decision).count() == 0

    # Straight to the extension letter's address: back to the request, with the reason.
    page.goto(f"{live_server.url}/desk/{request.reference}/brief/extension/")
    page.wait_for_url(f"**/desk/{request.reference}/")
    assert "meldt een beslissing" in page.inner_text("main")

    # A forged form that posts the extension letter (the CSRF token taken from the page).
    page.evaluate(
        """(action) => {
            const form = document.createElement("form");
            form.method = "post";
            form.action = action;
            const token = document.querySelector("input[name=csrfmiddlewaretoken]").cloneNode();
            form.appendChild(token);
            document.body.appendChild(form);
            form.submit();
        }""",
        f"/desk/{request.reference}/brief/extension/versturen/",
    )
    page.wait_for_load_state()
    page.get_by_text("meldt een beslissing en gaat alleen mee").wait_for()
    assert not OutboxMessage.objects.filter(letter_kind="extension").exists()

    # A letter without a decision goes out from the preview.
    letters = page.locator("section[aria-labelledby=letters-title]")
    letters.get_by_role("link", name="Identiteitscontrole").click()
    page.get_by_role("button", name="Deze brief versturen").click()
    page.get_by_text("De brief staat klaar om te worden verzonden.").wait_for()
    assert OutboxMessage.objects.filter(request=request, letter_kind="identity_check").exists()


def test_the_agent_works_off_the_post_queue(page, live_server, screenshots):
    from accounts.roles import AGENT, setup_roles

    setup_roles()
    call_command("load_rezulto_register", verbosity=0)
    UserFactory(username="kees", role=AGENT)
    request = open_request(
        channel="post",
        requester_name="Gerrit Brink",
        requester_email="",
        requester_address="Dorpsstraat 1\n1234 AB Ergenshoven",
    )
    browser_log_in(page, live_server, "kees")
    page.goto(f"{live_server.url}/desk/")
    page.get_by_role("link", name="Te posten").first.click()
    row = page.get_by_role("row").filter(has_text=request.reference)
    pdf = page.request.get(
        live_server.url + row.get_by_role("link", name="PDF").get_attribute("href")
    )
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    page.screenshot(path=str(screenshots / "desk-post-queue.png"), full_page=True)
    row.get_by_role("button", name="Verstuurd per post").click()
    page.get_by_text("als verstuurd per post vastgelegd").wait_for()
    assert PostalLetter.objects.get(request=request).is_posted
    page.get_by_role("link", name=request.reference).first.click()
    assert "verstuurd per post op" in page.inner_text("main")
