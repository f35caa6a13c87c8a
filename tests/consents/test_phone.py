"""The agent records a consent or an opt-out given by phone."""

import pytest

from consents.models import ConsentEvent
from consents.selectors import may_contact

pytestmark = pytest.mark.django_db


def test_an_opt_out_by_phone_is_recorded_with_the_agent(client_as, purpose, agent):
    response = client_as("agent").post(
        "/desk/toestemmingen/",
        {"email": "Bel@School.example", "purpose": purpose.pk, "action": "withdraw"},
        follow=True,
    )
    assert "Vastgelegd" in response.content.decode()
    event = ConsentEvent.objects.get()
    assert (event.action, event.method, event.recorded_by) == ("withdrawn", "phone", agent)
    assert event.subject.email == "bel@school.example"


def test_a_consent_by_phone_needs_the_wording_read_out(client_as, purpose):
    client = client_as("agent")
    data = {"email": "bel@school.example", "purpose": purpose.pk, "action": "give"}
    response = client.post("/desk/toestemmingen/", data)
    assert "Lees bij een aanmelding eerst de tekst" in response.content.decode()
    assert not ConsentEvent.objects.exists()
    client.post("/desk/toestemmingen/", {**data, "wording_read": "on"})
    assert may_contact(email="bel@school.example", purpose=purpose)


def test_a_bad_address_gets_a_dutch_error(client_as, purpose):
    response = client_as("agent").post(
        "/desk/toestemmingen/", {"email": "geen", "purpose": purpose.pk, "action": "withdraw"}
    )
    assert "Voer een geldig e-mailadres in." in response.content.decode()
