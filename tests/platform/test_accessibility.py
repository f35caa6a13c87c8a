"""An accessibility check in a real browser: axe-core (tests/platform/axe/axe.min.js, version
4.14.1, MPL-2.0, vendored so that nothing is fetched at test time) runs its WCAG 2.1 A and AA
rules over every public page, the desk's pages as an agent and the privacy officer's start page,
with real content built by the services. A page fails on any serious or critical violation.

axe is run with Playwright's page.evaluate of its source, which the site's CSP (script-src
'self', no inline script) does not govern: add_script_tag would be an inline script, refused by
that CSP. So the pages are checked as served, CSP and all."""

from email.message import EmailMessage
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.conftest import browser_log_in
from tests.consents.conftest import clear_ledger

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent / "axe" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")

# Page name → (who looks, how to reach it). A path may name the office's rows by their key
# ({ref}, {preferences}, …); a "click" is a button pressed on the page first (a POST's answer).
PUBLIC_PAGES = {
    "statement": ("anonymous", "/privacy/verklaring/"),
    "request form": ("anonymous", "/privacy/verzoek/"),
    "request form with errors": ("anonymous", "/privacy/verzoek/", "Verzoek versturen"),
    "request sent": ("anonymous", "/privacy/verzoek/verstuurd/"),
    "request confirmation": ("anonymous", "/privacy/verzoek/bevestig/{confirm}/"),
    "request confirmed": ("anonymous", "/privacy/verzoek/bevestigd/{confirmed}/"),
    "a link that is not ours": ("anonymous", "/privacy/verzoek/bevestig/not-a-token/"),
    "preference link": ("anonymous", "/privacy/voorkeuren/"),
    "preference link sent": ("anonymous", "/privacy/voorkeuren/verstuurd/"),
    "preference centre": ("anonymous", "/privacy/voorkeuren/{preferences}/"),
    "preference centre saved": ("anonymous", "/privacy/voorkeuren/{preferences}/", "Opslaan"),
    "unsubscribe": ("anonymous", "/privacy/afmelden/{unsubscribe}/"),
    "unsubscribed": ("anonymous", "/privacy/afmelden/{unsubscribe}/", "Ja, meld mij af"),
    "unsubscribe link not ours": ("anonymous", "/privacy/afmelden/not-a-token/"),
    "access package download": ("anonymous", "/privacy/inzage/{package}/"),
    "staff login": ("anonymous", "/accounts/login/"),
}
DESK_PAGES = {
    "queue": ("kees", "/desk/"),
    "queue, overdue": ("kees", "/desk/?tab=overdue"),
    "new request": ("kees", "/desk/nieuw/"),
    "search": ("kees", "/desk/zoeken/?q=joke"),
    "dashboard": ("kees", "/desk/overzicht/"),
    "inbox": ("kees", "/desk/postvak-in/"),
    "inbox with a message": ("kees", "/desk/postvak-in/", "Geen verzoek"),
    "to post": ("kees", "/desk/post/"),
    "request detail": ("kees", "/desk/{ref}/"),
    "letter preview": ("kees", "/desk/{ref}/brief/acknowledgement/"),
    "free letter preview": ("kees", "/desk/{ref}/brief/free_text/?tekst=Hallo"),
    "phone consent and opt-out": ("kees", "/desk/toestemmingen/"),
    "breaches": ("kees", "/desk/datalekken/"),
    "breach report form": ("kees", "/desk/datalekken/melden/"),
    "breach register": ("kees", "/desk/datalekken/register/"),
    "breach detail": ("kees", "/desk/datalekken/{breach}/"),
}
OFFICER_PAGES = {
    "officer start page": ("priya", "/admin/"),
    "erasure confirmation": ("priya", "/desk/{erasure}/rechten/wissen/"),
    "objection to decide": ("priya", "/desk/{objection}/"),
    "breach to assess": ("priya", "/desk/datalekken/{breach}/beoordelen/"),
}
PAGES = {**PUBLIC_PAGES, **DESK_PAGES, **OFFICER_PAGES}


@pytest.fixture
def office(settings, live_server):
    """Rezulto's office with content on every page: a request with its tasks, a timeline and an
    attachment, a post request, a person with consents and an access package, a pending web-form
    request, a breach. Returns the values the pages' paths name."""
    from accounts.roles import AGENT, PRIVACY_OFFICER, setup_roles
    from consents.services import consent_give, subject_get_or_create
    from consents.tokens import unsubscribe_token
    from requests_desk.services import (
        mail_take_in,
        request_note,
        request_verify_identity,
        task_complete,
    )
    from self_service.tokens import confirm_request_link, confirmed_request_link, preferences_link
    from subject_rights.models import AccessPackage
    from subject_rights.services import package_build
    from subject_rights.tokens import package_token
    from tests.factories import (
        PendingSubmissionFactory,
        UserFactory,
        open_request,
        purpose_with_wording,
        report_breach,
    )

    settings.SELF_SERVICE_BASE_URL = live_server.url
    setup_roles()
    call_command("load_rezulto_register", verbosity=0)
    agent = UserFactory(username="kees", first_name="Kees", last_name="de Boer", role=AGENT)
    officer = UserFactory(username="priya", role=PRIVACY_OFFICER)

    request = open_request(requester_phone="0612345678", description="Graag een overzicht.")
    request = request_verify_identity(request=request, method="email", by=agent)
    task_complete(task=request.tasks.first(), by=agent)
    request_note(request=request, text="Joke belde om te vragen hoe lang het duurt.", by=agent)
    message = EmailMessage()
    message["From"], message["Subject"] = request.requester_email, f"Re: {request.reference}"
    message.set_content("Hierbij mijn kopie van mijn paspoort, afgeschermd.")
    message.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="id.pdf")
    mail_take_in(raw=message.as_bytes())
    message = EmailMessage()
    message["From"], message["Subject"] = "onbekend@school.example", "Vraag over mijn gegevens"
    message.set_content("Welke gegevens hebben jullie van mij?")
    mail_take_in(raw=message.as_bytes())
    open_request(channel="post", requester_email="", requester_address="Dorpsstraat 1, Urk")
    erasure = request_verify_identity(
        request=open_request(kind="erasure"), method="email", by=agent
    )
    objection = open_request(kind="objection", description="Ik wil geen profiel op de website.")
    access = request_verify_identity(request=open_request(), method="email", by=agent)
    for task in access.tasks.all():
        task_complete(task=task, by=agent)
    package_build(request=access)

    newsletter = purpose_with_wording(name="Nieuwsbrief Primair Onderwijs")
    purpose_with_wording("Rezulto mag mij bellen.", name="Telefonische aanbiedingen")
    person = subject_get_or_create(email="joke@school.example", name="Joke de Vries")
    consent_give(subject=person, purpose=newsletter, method="double_opt_in")
    submission = PendingSubmissionFactory(name="Fatima de Vries", email="fatima@voorbeeld.nl")
    breach = report_breach(by=agent, title="Mail aan de verkeerde school gestuurd")
    return {
        "ref": request.reference,
        "erasure": erasure.reference,
        "objection": objection.reference,
        "confirm": confirm_request_link.make(str(submission.public_id)),
        "confirmed": confirmed_request_link.make(request.pk),
        "preferences": preferences_link.make(person.pk),
        "unsubscribe": unsubscribe_token(subject=person, purpose=newsletter),
        "package": package_token(AccessPackage.objects.get()),
        "breach": breach.reference,
        "officer": officer,
    }


@pytest.fixture
def axe_page(page):
    """The browser's page; the ledger is emptied afterwards (this test is transactional)."""
    yield page
    clear_ledger()


def serious_violations(page) -> list[dict]:
    """axe's WCAG 2.1 A/AA violations of the page as loaded, serious and critical only; also what
    axe could not decide by itself ("needs review") at that impact, such as an aria-describedby
    naming no element. Not colour contrast over a background image, which axe never computes:
    the admin's add/change/view links carry an icon as background image."""
    page.evaluate(AXE.read_text())
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
    )
    undecided = [r for r in results["incomplete"] if r["id"] != "color-contrast"]
    return [v for v in results["violations"] + undecided if v["impact"] in BLOCKING]


def readable(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
        lines.append(
            f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])} element(s)): "
            f"{violation['help']}; at {', '.join(targets)}"
        )
    return "\n".join(lines)


@pytest.mark.parametrize("name", PAGES)
def test_the_page_has_no_serious_or_critical_wcag_violation(axe_page, live_server, office, name):
    who, path, *click = PAGES[name]
    if who != "anonymous":
        browser_log_in(axe_page, live_server, who)
    response = axe_page.goto(live_server.url + path.format(**office))
    assert response.status < 500, f"{name}: {path} answered {response.status}"
    if click:
        axe_page.get_by_role("button", name=click[0]).first.click()
        axe_page.wait_for_load_state()
    assert axe_page.locator("main").count(), f"{name}: no page content at {axe_page.url}"
    violations = serious_violations(axe_page)
    assert not violations, f"{name} ({axe_page.url}):\n{readable(violations)}"


def test_the_check_sees_a_serious_violation(axe_page):
    axe_page.set_content('<html lang="nl"><main><img src="x.png"><button></button></main></html>')
    found = {violation["id"] for violation in serious_violations(axe_page)}
    assert {"image-alt", "button-name"} <= found, found
