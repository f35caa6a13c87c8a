"""The public privacy statement is generated from the register, says every item Art. 13, 14 and
21(4) GDPR require (LEGAL.md §7), never shows an internal note, and changes only when the privacy
officer publishes a new version after seeing its preview and its difference with the last."""

import re

import pytest

from privacy_register.models import (
    LegalBasis,
    ProcessingActivity,
    PublishedStatement,
    ThirdCountryTransfer,
)
from privacy_register.services import statement_fingerprint, statement_render
from privacy_register.statement_diff import statement_changes, statement_lines

pytestmark = pytest.mark.django_db
PUBLISH = "/admin/privacy_register/processingactivity/publiceren/"


def publish(client):
    """The confirm step as the officer takes it: the preview, then publishing what it showed."""
    preview = client.get(PUBLISH).content.decode()
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]{64})"', preview).group(1)
    return client.post(PUBLISH, {"fingerprint": fingerprint})


@pytest.fixture
def statement(client_as, register, client):
    def read():
        publish(client_as("privacy_officer"))
        return client.get("/privacy/verklaring/").content.decode()

    return read


def section(body: str, heading: str) -> str:
    """The text from one <h2> to the next."""
    return body.split(f"<h2>{heading}</h2>", 1)[1].split("<h2>", 1)[0]


def test_nothing_published_yet_is_a_404(client):
    assert client.get("/privacy/verklaring/").status_code == 404


def test_the_published_statement_shows_what_the_register_held(statement):
    body = statement()
    assert "Rezulto B.V." in body and "84541423" in body
    assert "Nieuwsbrieven" in body and "Toestemming" in body
    assert "vier weken" in body and "twintig werkdagen" in body
    assert "Autoriteit Persoonsgegevens" in body
    assert "Laatst gewijzigd op" in body


# --- each item of Art. 13, 14 and 21(4) ---------------------------------------------------------


def test_the_general_right_to_object_stands_explicitly_and_apart(statement):
    body = statement()
    objection = section(body, "Je recht van bezwaar")
    assert "artikel 21, eerste lid" in objection and "gerechtvaardigd belang" in objection
    assert "dwingende gerechtvaardigde gronden" in objection
    assert "direct marketing" in objection
    # It lists every activity based on a legitimate interest, and it comes before everything
    # else the statement says about the processing.
    for activity in ProcessingActivity.objects.filter(legal_basis=LegalBasis.LEGITIMATE_INTEREST):
        assert f"<li>{activity.name}</li>" in objection
    assert body.index("Je recht van bezwaar") < body.index("Wat wij verwerken")
    assert "statement-objection" in body


def test_an_activity_no_longer_based_on_a_legitimate_interest_leaves_the_objection_list(statement):
    ProcessingActivity.objects.filter(slug="social-media").update(legal_basis="consent")
    assert "<li>Sociale media</li>" not in section(statement(), "Je recht van bezwaar")


def test_a_transfer_outside_the_eea_is_named_with_its_safeguard(statement):
    ThirdCountryTransfer.objects.create(
        activity=ProcessingActivity.objects.get(slug="nieuwsbrieven"),
        country="Verenigde Staten",
        recipient="Mailplatform Inc.",
        safeguard="scc",
        note="Intern: contract ligt bij juridische zaken, kamer 3.",
    )
    transfers = section(statement(), "Doorgifte buiten de Europese Economische Ruimte")
    assert "Nieuwsbrieven: Mailplatform Inc. in Verenigde Staten" in transfers
    assert "Modelcontractbepalingen (art. 46 lid 2 sub c)" in transfers
    assert "Een kopie van de waarborgen" in transfers
    assert "kamer 3" not in transfers


def test_without_transfers_the_statement_says_there_are_none(statement):
    transfers = section(statement(), "Doorgifte buiten de Europese Economische Ruimte")
    assert "geen persoonsgegevens door naar landen buiten" in transfers


def test_the_source_of_data_not_obtained_from_the_person_is_named(statement):
    body = statement()
    social = body.split("<h3>Sociale media</h3>", 1)[1].split("</section>", 1)[0]
    assert "niet van jou zelf, maar van: Socialemediaplatforms" in social
    newsletters = body.split("<h3>Nieuwsbrieven</h3>", 1)[1].split("</section>", 1)[0]
    assert "niet van jou zelf" not in newsletters


def test_whether_giving_the_data_is_required_and_what_follows_if_not(statement):
    body = statement()
    sales = body.split("<h3>Verkoop, uitvoering", 1)[1].split("</section>", 1)[0]
    assert "Nodig om een overeenkomst te sluiten." in sales
    assert "Zonder deze gegevens kunnen wij de overeenkomst niet aangaan" in sales
    newsletters = body.split("<h3>Nieuwsbrieven</h3>", 1)[1].split("</section>", 1)[0]
    assert "Niet verplicht. Zonder je e-mailadres" in newsletters


def test_a_statutory_requirement_is_stated_as_such(statement):
    ProcessingActivity.objects.filter(slug="privacyverzoeken").update(
        provision_requirement="statutory", provision_consequence="Dan kunnen wij niet handelen."
    )
    requests = statement().split("<h3>Afhandeling van privacyverzoeken</h3>", 1)[1]
    assert "Wettelijk verplicht. Dan kunnen wij niet handelen." in requests.split("</section>")[0]


def test_without_automated_decisions_the_statement_says_so(statement):
    automated = section(statement(), "Geautomatiseerde besluitvorming")
    assert "Wij nemen geen besluiten die uitsluitend berusten op geautomatiseerde" in automated


def test_an_automated_decision_is_named_with_its_logic_and_the_right_to_a_human(statement):
    ProcessingActivity.objects.filter(slug="accounts").update(
        automated_decisions="Een account met tien mislukte inlogpogingen wordt een uur geblokkeerd."
    )
    automated = section(statement(), "Geautomatiseerde besluitvorming")
    assert "Accounts: inloggen" in automated and "tien mislukte inlogpogingen" in automated
    assert "menselijke tussenkomst" in automated
    assert "Wij nemen geen besluiten" not in automated


def test_the_four_weeks_hold_unless_the_law_allows_an_extension(statement):
    rights = section(statement(), "Jouw rechten")
    assert (
        "uiterlijk binnen <strong>vier weken</strong>, behalve wanneer verlenging van die termijn "
        "wettelijk is toegestaan" in rights
    )
    assert "met twee maanden te verlengen" in rights and "binnen de eerste maand" in rights


def test_an_internal_note_never_reaches_the_statement(statement):
    secret = "INTERN: belangenafweging nog niet met de FG besproken"
    ProcessingActivity.objects.update(internal_note=secret, balancing_note=secret + " (afweging)")
    public = "Openbare toelichting voor iedereen."
    ProcessingActivity.objects.filter(slug="nieuwsbrieven").update(public_text=public)
    body = statement()
    assert secret not in body and "belangenafweging nog niet" not in body
    assert public in body
    assert "Werkkeuze" not in body  # the loader's working choices are internal notes
    assert secret not in PublishedStatement.objects.get().content


def test_the_statement_and_its_preview_take_a_fixed_number_of_queries(
    register, client_as, django_assert_max_num_queries
):
    officer = client_as("privacy_officer")
    publish(officer)
    with django_assert_max_num_queries(10):
        statement_render()
    with django_assert_max_num_queries(20):
        assert officer.get(PUBLISH).status_code == 200
    for i in range(20):
        ProcessingActivity.objects.create(
            slug=f"extra-{i}",
            name=f"Extra {i}",
            purposes="Test",
            legal_basis="legitimate_interest",
            legitimate_interest="Test",
            status="active",
            retention_event="until_opt_out",
        )
    with django_assert_max_num_queries(10):
        statement_render()
    with django_assert_max_num_queries(20):
        assert "Extra 19" in officer.get(PUBLISH).content.decode()


# --- publishing: the preview and the difference first --------------------------------------------


def test_the_statement_changes_only_when_a_new_version_is_published(client_as, register, client):
    officer = client_as("privacy_officer")
    publish(officer)
    ProcessingActivity.objects.filter(slug="nieuwsbrieven").update(
        name="Nieuwsbrieven voor leraren"
    )
    assert "Nieuwsbrieven voor leraren" not in client.get("/privacy/verklaring/").content.decode()
    publish(officer)
    assert "Nieuwsbrieven voor leraren" in client.get("/privacy/verklaring/").content.decode()
    old = client.get("/privacy/verklaring/1/").content.decode()
    assert "Nieuwsbrieven voor leraren" not in old and "oudere versie" in old
    assert PublishedStatement.objects.count() == 2


def test_the_preview_shows_the_statement_and_the_difference_with_the_published_one(
    client_as, register
):
    officer = client_as("privacy_officer")
    first = officer.get(PUBLISH).content.decode()
    assert "dit wordt versie 1" in first and "Je recht van bezwaar" in first
    assert not PublishedStatement.objects.exists()  # looking publishes nothing
    publish(officer)
    ProcessingActivity.objects.filter(slug="nieuwsbrieven").update(
        name="Nieuwsbrieven voor leraren"
    )
    preview = officer.get(PUBLISH).content.decode()
    assert "Nieuw: Nieuwsbrieven voor leraren" in preview
    assert "Vervalt: Nieuwsbrieven" in preview
    assert PublishedStatement.objects.count() == 1


def test_with_nothing_changed_there_is_nothing_to_publish(client_as, register):
    officer = client_as("privacy_officer")
    publish(officer)
    preview = officer.get(PUBLISH).content.decode()
    assert "Geen verschil met versie 1" in preview and 'name="fingerprint"' not in preview


def test_a_register_changed_after_the_preview_is_not_published_unseen(client_as, register):
    officer = client_as("privacy_officer")
    preview = officer.get(PUBLISH).content.decode()
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]{64})"', preview).group(1)
    ProcessingActivity.objects.filter(slug="nieuwsbrieven").update(name="Ongezien")
    response = officer.post(PUBLISH, {"fingerprint": fingerprint}, follow=True)
    assert "gewijzigd sinds de voorvertoning" in response.content.decode()
    assert not PublishedStatement.objects.exists()
    assert officer.post(PUBLISH).status_code == 302  # no fingerprint: nothing either
    assert not PublishedStatement.objects.exists()


def test_the_fingerprint_is_that_of_the_rendered_statement(register):
    assert statement_fingerprint(statement_render()) == statement_fingerprint(statement_render())


def test_the_difference_lists_removed_and_added_lines_in_order():
    old = "<h2>Kop</h2><p>Een &amp; twee</p><ul><li>a</li><li>b</li></ul>"
    new = "<h2>Kop</h2><p>Een &amp; drie</p><ul><li>a</li></ul>"
    assert statement_lines(old) == ["Kop", "Een & twee", "a", "b"]
    assert statement_changes(old, new) == [("-", "Een & twee"), ("+", "Een & drie"), ("-", "b")]
    assert statement_changes(old, old) == []


def test_only_the_privacy_officer_publishes(client_as, register):
    assert client_as("auditor").get(PUBLISH).status_code == 403
    assert client_as("auditor").post(PUBLISH).status_code == 403
    assert not PublishedStatement.objects.exists()
