"""The public pages work without JavaScript under the project's CSP and are accessible: every
control has a label, groups have a legend, hints and errors are tied to their field."""

import re

import pytest

from tests.self_service.conftest import ACCESS_REQUEST

pytestmark = pytest.mark.django_db

PAGES = [
    "/privacy/verzoek/",
    "/privacy/verzoek/verstuurd/",
    "/privacy/voorkeuren/",
    "/privacy/voorkeuren/verstuurd/",
    "/privacy/verzoek/bevestig/not-a-token/",
]


@pytest.mark.parametrize("url", PAGES)
def test_public_pages_need_no_script_and_no_inline_style(client, url):
    response = client.get(url)
    page = response.content.decode()
    assert "<script" not in page
    assert "style=" not in page and "onclick" not in page.lower()
    assert "'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("url", PAGES)
def test_public_pages_have_one_h1_a_skip_link_and_a_language(client, url):
    page = client.get(url).content.decode()
    assert page.count("<h1") == 1
    assert 'href="#main"' in page and 'id="main"' in page
    assert re.search(r'<html lang="(nl|en)"', page)


def test_every_control_on_the_request_form_has_a_label(client):
    page = client.get("/privacy/verzoek/").content.decode()
    ids = re.findall(r'<(?:input|textarea|select)[^>]*\bid="([^"]+)"', page)
    assert ids
    for control_id in ids:
        assert f'for="{control_id}"' in page, control_id


def test_the_kinds_of_request_are_a_fieldset_with_a_legend_and_described_options(client):
    page = client.get("/privacy/verzoek/").content.decode()
    assert "<legend>Wat wil je vragen?</legend>" in page
    assert 'aria-describedby="id_kind_0-hint"' in page and 'id="id_kind_0-hint"' in page


def test_an_invalid_field_points_to_its_message(client):
    page = client.post("/privacy/verzoek/", {**ACCESS_REQUEST, "email": "x"}).content.decode()
    assert 'aria-invalid="true"' in page
    assert re.search(r'<input[^>]*aria-describedby="id_email-error id_email-hint"', page) or (
        re.search(r'<input[^>]*aria-describedby="[^"]*id_email-error', page)
    )
    assert 'id="id_email-error"' in page
    assert 'role="alert"' in page


def test_the_honeypot_is_hidden_from_people_and_screen_readers(client):
    page = client.get("/privacy/verzoek/").content.decode()
    assert '<div class="hp" aria-hidden="true">' in page
    assert re.search(r'<input[^>]*name="website"[^>]*tabindex="-1"', page)


def test_the_preference_centre_groups_each_purpose_with_a_legend_and_labels(client):
    from self_service.tokens import preferences_link
    from tests.factories import DataSubjectFactory, purpose_with_wording

    purpose_with_wording("Ja, stuur mij de nieuwsbrief.", name="Nieuwsbrief")
    person = DataSubjectFactory()
    page = client.get(f"/privacy/voorkeuren/{preferences_link.make(person.pk)}/").content.decode()
    assert "<legend>Nieuwsbrief</legend>" in page
    ids = re.findall(r'<input[^>]*type="radio"[^>]*id="([^"]+)"', page)
    assert len(ids) == 2
    for control_id in ids:
        assert f'for="{control_id}"' in page
    assert "<script" not in page and "style=" not in page
