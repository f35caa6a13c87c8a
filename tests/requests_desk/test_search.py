"""The desk's search: by reference, name, address, and by phone number however it is typed;
people in the ledger without a request are found too."""

import pytest

from consents.phones import normalise_phone
from consents.services import subject_by_phone_get_or_create, subject_get_or_create
from requests_desk import selectors
from requests_desk.services import request_correct_contact
from tests.factories import open_request

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("06-12345678", "+31612345678"),
        ("+31 6 1234 5678", "+31612345678"),
        ("0031612345678", "+31612345678"),
        ("(020) 123 45 67", "+31201234567"),
        ("+32 470 12 34 56", "+32470123456"),
        ("AVG-2026-00001", ""),
        ("joke", ""),
        ("1234", ""),
    ],
)
def test_a_phone_number_has_one_spelling(typed, e164):
    assert normalise_phone(typed) == e164


def test_a_request_is_found_by_its_phone_number_in_any_spelling(register, agent):
    request = open_request(requester_phone="06 1234 5678")
    other = open_request(requester_email="b@school.example", requester_phone="0201234567")
    for typed in ("0612345678", "+31612345678", "06-12345678"):
        assert list(selectors.search(text=typed)) == [request]
    request_correct_contact(request=other, by=agent, requester_phone="+31 6 8765 4321")
    assert list(selectors.search(text="06 8765 4321")) == [other]


def test_people_without_a_request_are_found_by_name_address_or_number(client_as, register):
    open_request(requester_email="joke@school.example", requester_phone="0611111111")
    caller = subject_by_phone_get_or_create(phone="06-22222222", name="Bea Beller")
    subject_get_or_create(email="klaas@school.example", name="Klaas Klant")
    client = client_as("agent")
    by_number = client.get("/desk/zoeken/", {"q": "+31622222222"}).content.decode()
    assert "Bea Beller" in by_number and f"?betrokkene={caller.pk}" in by_number
    by_name = client.get("/desk/zoeken/", {"q": "Klaas"}).content.decode()
    assert "klaas@school.example" in by_name
    with_request = client.get("/desk/zoeken/", {"q": "0611111111"}).content.decode()
    assert "Geen betrokkenen zonder verzoek gevonden." in with_request
    assert "Joke de Vries" in with_request


def test_search_runs_a_fixed_number_of_queries(client_as, register, django_assert_max_num_queries):
    for n in range(30):
        subject_by_phone_get_or_create(phone=f"06-{10000000 + n}", name=f"Beller {n}")
    client = client_as("agent")
    with django_assert_max_num_queries(12):
        assert client.get("/desk/zoeken/", {"q": "Beller"}).status_code == 200
