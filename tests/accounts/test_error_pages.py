"""Our 403, 404, 500 and CSRF-failure pages: in Dutch, in English when asked, in the office's
style, and for our own views in DEBUG too (never Django's bare or debug pages there)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def page(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("debug", [True, False])
def test_an_unknown_statement_version_is_our_404_in_both_languages(
    client, register, settings, debug
):
    settings.DEBUG = debug
    call = "/privacy/verklaring/9999/"
    dutch = client.get(call)
    assert dutch.status_code == 404
    assert "Pagina niet gevonden" in page(dutch) and "office.css" in page(dutch)
    assert "Traceback" not in page(dutch) and "URLconf" not in page(dutch)
    english = Client().get(call, **ENGLISH)
    assert english.status_code == 404
    assert "Page not found" in page(english) and "Pagina" not in page(english)


def test_an_unknown_address_is_our_404_without_debug(client, settings):
    settings.DEBUG = False
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404 and "Pagina niet gevonden" in page(response)


@pytest.mark.parametrize("debug", [True, False])
def test_a_refused_page_is_our_403(client_as, settings, debug):
    settings.DEBUG = debug
    response = client_as("no_role").get("/desk/")
    assert response.status_code == 403
    assert "Geen toegang" in page(response) and "403 Forbidden" not in page(response)


@pytest.mark.urls("tests.accounts.error_urls")
def test_a_bug_is_our_500_which_asks_nothing_of_the_database(settings, django_assert_num_queries):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):
        response = client.get("/kapot/", **ENGLISH)
    assert response.status_code == 500
    assert "Something went wrong" in page(response) and "a bug" not in page(response)


@pytest.mark.urls("tests.accounts.error_urls")
def test_a_bug_under_the_api_is_its_json_error_shape_not_a_page(settings):
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get("/api/v1/kapot/", **ENGLISH)
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "type": "server_error",
        "errors": [{"code": "error", "detail": "A server error occurred.", "attr": None}],
    }


def test_a_failed_csrf_check_says_what_to_do(settings):
    settings.DEBUG = True
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x"})
    assert response.status_code == 403
    assert "Formulier verlopen" in page(response)
    assert "CSRF verification failed" not in page(response)
