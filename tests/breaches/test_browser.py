"""A breach in a real browser (Playwright driving Debian's chromium): an agent reports it, the
privacy officer assesses it as a risk, sees the clock, files the AP notification (the PDF opens)
and later records a follow-up."""

import pytest
from django.core.management import call_command

from breaches.models import ApFiling, Breach, Decision, FilingKind
from requests_desk.models import OutboxKind, OutboxMessage
from tests.conftest import browser_log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_agent_reports_and_the_officer_assesses_files_and_follows_up(
    page, live_server, screenshots
):
    from accounts.roles import AGENT, PRIVACY_OFFICER, setup_roles

    setup_roles()
    call_command("load_rezulto_register", verbosity=0)
    UserFactory(username="kees", first_name="Kees", last_name="de Boer", role=AGENT)
    UserFactory(username="priya", first_name="Priya", last_name="de Vries", role=PRIVACY_OFFICER)

    browser_log_in(page, live_server, "kees")
    page.get_by_role("link", name="Datalekken").first.click()
    page.get_by_role("link", name="Datalek melden").first.click()
    page.get_by_label("Korte omschrijving").fill("Klantenlijst naar verkeerde ontvanger")
    page.get_by_label("Wat is er gebeurd?").fill("Een lijst met 40 klanten is verkeerd gemaild.")
    page.locator("#id_cause").select_option("wrong_recipient")
    page.get_by_role("button", name="Datalek melden").click()
    page.get_by_text("de privacy officer is op de hoogte gebracht").wait_for()
    breach = Breach.objects.get()
    assert OutboxMessage.objects.filter(letter_kind=OutboxKind.BREACH_ALERT).exists()
    page.get_by_role("button", name="Uitloggen").click()

    browser_log_in(page, live_server, "priya")
    page.goto(f"{live_server.url}/desk/datalekken/")
    page.get_by_role("link", name=breach.reference).click()
    page.get_by_role("link", name="Beoordelen").click()
    page.get_by_text("Hulp bij het besluit").wait_for()
    page.get_by_label("Aantal betrokkenen, minimaal").fill("40")
    page.get_by_label("Aantal betrokkenen, maximaal").fill("40")
    page.get_by_label("Aantal gegevensrecords (ongeveer)").fill("40")
    page.get_by_label("Waarschijnlijke gevolgen").fill("Phishing.")
    page.get_by_label("Genomen maatregelen", exact=True).fill("Ontvanger gevraagd te verwijderen.")
    page.get_by_label("Risico: melden bij de Autoriteit Persoonsgegevens").check()
    page.get_by_label("Onderbouwing", exact=True).fill("Namen en e-mailadressen bij een onbekende.")
    page.get_by_role("button", name="Beoordeling vastleggen").click()
    page.get_by_text("De beoordeling is vastgelegd.").wait_for()
    assert breach.assessment.__class__.objects.get().decision == Decision.RISK

    clock = page.locator(".lead .clock").inner_text()
    assert "nog 7" in clock and "uiterlijk" in clock, clock
    page.screenshot(path=str(screenshots / "breach-detail.png"), full_page=True)

    pdf_link = page.get_by_role("link", name="Meldformulier (PDF)")
    pdf = page.request.get(live_server.url + pdf_link.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    page.locator("#id_file-ap_reference").fill("M-2026-0042")
    page.get_by_role("button", name="Melding vastleggen").click()
    page.get_by_text("De melding bij de AP is vastgelegd.").wait_for()
    assert page.get_by_text("Binnen 72 uur gemeld").first.is_visible()

    page.locator("#id_follow-text").fill("Het aantal betrokkenen is 52, niet 40.")
    page.get_by_role("button", name="Aanvulling vastleggen").click()
    page.get_by_text("De aanvulling is vastgelegd.").wait_for()
    kinds = list(ApFiling.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == [FilingKind.INITIAL, FilingKind.FOLLOW_UP]
    assert "Het aantal betrokkenen is 52" in page.inner_text("main")
