"""The preference centre: reached by a signed personal link, shows every purpose with its wording
and current state, and writes each change to the ledger (method "preference centre", the wording
version shown)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from consents.models import Action, ConsentEvent, ConsentPurposeVersion, Method
from consents.selectors import may_contact
from consents.services import consent_give
from self_service.links import preference_centre_url
from tests.factories import DataSubjectFactory, purpose_with_wording
from tests.self_service.conftest import path_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsletter():
    return purpose_with_wording("Ja, stuur mij de nieuwsbrief Primair.", name="Nieuwsbrief Primair")


@pytest.fixture
def telemarketing():
    return purpose_with_wording(
        "Rezulto mag mij bellen met aanbiedingen.",
        name="Telefonische aanbiedingen",
        channel="phone",
    )


@pytest.fixture
def person(newsletter):
    subject = DataSubjectFactory(email="joke@school.example")
    consent_give(subject=subject, purpose=newsletter, method=Method.WEB_FORM)
    return subject


@pytest.fixture
def url(person, settings):
    settings.SELF_SERVICE_BASE_URL = "https://privacy.rezulto.nl"
    return path_of(preference_centre_url(person))


def form_data(page_purposes: dict, versions: dict, **extra):
    data = {"website": "", "action": "save", **extra}
    for purpose, choice in page_purposes.items():
        data[f"purpose_{purpose.pk}"] = choice
        data[f"version_{purpose.pk}"] = str(versions[purpose].pk)
    return data


def test_the_link_builder_makes_an_absolute_personal_link(person, settings):
    settings.SELF_SERVICE_BASE_URL = "https://privacy.rezulto.nl"
    link = preference_centre_url(person)
    assert link.startswith("https://privacy.rezulto.nl/privacy/voorkeuren/")
    assert "joke" not in link


def test_the_page_shows_every_purpose_with_its_wording_and_state(
    client, url, newsletter, telemarketing
):
    page = client.get(url).content.decode()
    assert "joke@school.example" in page
    assert "<legend>Nieuwsbrief Primair</legend>" in page
    assert "Ja, stuur mij de nieuwsbrief Primair." in page
    assert "Rezulto mag mij bellen met aanbiedingen." in page
    assert page.count('class="state-on"') == 1 and page.count('class="state-off"') == 1


def test_a_withdrawal_is_a_ledger_event_with_the_method_and_the_version_shown(
    client, url, person, newsletter, telemarketing
):
    versions = {p: p.current_version for p in (newsletter, telemarketing)}
    response = client.post(url, form_data({newsletter: "no", telemarketing: "no"}, versions))

    assert response.status_code == 302
    event = ConsentEvent.objects.order_by("-sequence").first()
    assert (event.subject, event.purpose, event.action) == (person, newsletter, Action.WITHDRAWN)
    assert event.method == Method.PREFERENCE_CENTRE
    assert event.purpose_version == versions[newsletter]
    assert ConsentEvent.objects.count() == 2  # the original consent and this withdrawal only
    assert not may_contact(subject=person, purpose=newsletter)
    assert "Je voorkeuren zijn opgeslagen." in client.get(url).content.decode()


def test_giving_consent_records_the_wording_version_that_was_shown(
    client, url, person, newsletter, telemarketing
):
    versions = {p: p.current_version for p in (newsletter, telemarketing)}
    client.post(url, form_data({newsletter: "yes", telemarketing: "yes"}, versions))

    event = ConsentEvent.objects.get(purpose=telemarketing)
    assert event.action == Action.GIVEN and event.method == Method.PREFERENCE_CENTRE
    assert event.purpose_version == versions[telemarketing]
    assert may_contact(subject=person, purpose=telemarketing)


def test_a_consent_is_not_recorded_when_the_wording_changed_meanwhile(
    client, url, person, newsletter, telemarketing
):
    shown = {p: p.current_version for p in (newsletter, telemarketing)}
    ConsentPurposeVersion.objects.create(
        purpose=telemarketing, number=2, wording="Rezulto en partners mogen mij bellen."
    )
    response = client.post(url, form_data({newsletter: "no", telemarketing: "yes"}, shown))

    page = response.content.decode()
    assert response.status_code == 409
    assert "is net gewijzigd" in page and "Rezulto en partners mogen mij bellen." in page
    assert ConsentEvent.objects.count() == 1  # all or nothing: not even the withdrawal


def test_unsubscribe_from_everything_withdraws_each_given_consent(
    client, url, person, newsletter, telemarketing
):
    versions = {p: p.current_version for p in (newsletter, telemarketing)}
    client.post(
        url, form_data({newsletter: "yes", telemarketing: "yes"}, versions, action="all_off")
    )
    assert not may_contact(subject=person, purpose=newsletter)
    assert not ConsentEvent.objects.filter(purpose=telemarketing).exists()


def test_saving_without_changes_writes_nothing(client, url, newsletter, telemarketing):
    versions = {p: p.current_version for p in (newsletter, telemarketing)}
    client.post(url, form_data({newsletter: "yes", telemarketing: "no"}, versions))
    assert ConsentEvent.objects.count() == 1
    assert "Er was niets veranderd" in client.get(url).content.decode()


def test_a_missing_choice_gets_a_dutch_message_and_nothing_is_written(
    client, url, newsletter, telemarketing
):
    versions = {p: p.current_version for p in (newsletter, telemarketing)}
    data = form_data({newsletter: "no"}, versions)
    data[f"version_{telemarketing.pk}"] = str(versions[telemarketing].pk)
    response = client.post(url, data)
    assert "Kies ja of nee bij “Telefonische aanbiedingen”." in response.content.decode()
    assert ConsentEvent.objects.count() == 1


def test_a_tampered_link_shows_no_preferences(client, url):
    response = client.get(url[:-3] + "xx/")
    assert response.status_code == 400
    assert "joke@school.example" not in response.content.decode()


def test_an_expired_link_shows_no_preferences(client, url, settings):
    later = timezone.now() + timedelta(seconds=settings.SELF_SERVICE_PREFERENCE_LINK_MAX_AGE + 1)
    with time_machine.travel(later, tick=False):
        response = client.get(url)
    assert response.status_code == 410
    assert "joke@school.example" not in response.content.decode()


def test_the_link_of_an_erased_person_no_longer_works(client, url, person):
    type(person).objects.filter(pk=person.pk).update(email=None, erased_at=timezone.now())
    assert client.get(url).status_code == 400


def test_the_page_reads_a_bounded_number_of_queries(client, url, django_assert_max_num_queries):
    for n in range(30):
        purpose_with_wording(f"Tekst {n}", name=f"Onderwerp {n}")
    with django_assert_max_num_queries(12):
        client.get(url)


def test_each_choice_on_the_page_has_its_receipt_which_verifies_offline(
    client, url, person, newsletter, register, tmp_path
):
    """The receipt of the current choice: the ledger event with its inclusion proof against a
    signed checkpoint, checked by tools/verify_receipt.py with the published public key."""
    import subprocess
    import sys
    from pathlib import Path

    page = client.get(url)
    receipt_url = f"{url}bewijs/{newsletter.pk}/"
    assert receipt_url in page.content.decode()
    response = client.get(receipt_url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    receipt = response.json()
    assert receipt["event"]["action"] == "given"
    assert receipt["ledgerProof"]["checkpoint"]["tree_size"] >= 1
    (tmp_path / "receipt.json").write_bytes(response.content)
    (tmp_path / "key.pem").write_bytes(client.get("/privacy/grootboek/publieke-sleutel/").content)
    script = Path(__file__).resolve().parents[2] / "tools" / "verify_receipt.py"
    checked = subprocess.run(
        [sys.executable, script, tmp_path / "receipt.json", tmp_path / "key.pem"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_receipt_is_only_of_the_persons_own_choices(client, url, telemarketing):
    other = DataSubjectFactory(email="ander@school.example")
    consent_give(subject=other, purpose=telemarketing, method=Method.WEB_FORM)
    assert client.get(f"{url}bewijs/{telemarketing.pk}/").status_code == 404
    assert client.get("/privacy/voorkeuren/not-a-token/bewijs/1/").status_code == 400
