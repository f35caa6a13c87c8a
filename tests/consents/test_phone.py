"""The agent records a consent or an opt-out given by phone."""

import pytest

from consents.models import ConsentEvent
from consents.selectors import may_contact

pytestmark = pytest.mark.django_db


def test_an_opt_out_by_phone_is_recorded_with_the_agent(client_as, purpose, agent):
    response = client_as("agent").post(
        "/desk/toestemmingen/",
        {"email": "Bel@School.example", "purposes": [purpose.pk], "action": "withdraw"},
        follow=True,
    )
    assert "Vastgelegd" in response.content.decode()
    event = ConsentEvent.objects.get()
    assert (event.action, event.method, event.recorded_by) == ("withdrawn", "phone", agent)
    assert event.subject.email == "bel@school.example"


def test_a_consent_by_phone_needs_the_wording_read_out(client_as, purpose):
    client = client_as("agent")
    data = {"email": "bel@school.example", "purposes": [purpose.pk], "action": "give"}
    response = client.post("/desk/toestemmingen/", data)
    assert "Lees bij een aanmelding eerst de tekst" in response.content.decode()
    assert not ConsentEvent.objects.exists()
    client.post("/desk/toestemmingen/", {**data, "wording_read": "on"})
    assert may_contact(email="bel@school.example", purpose=purpose)


def test_a_bad_address_gets_a_dutch_error(client_as, purpose):
    response = client_as("agent").post(
        "/desk/toestemmingen/", {"email": "geen", "purposes": [purpose.pk], "action": "withdraw"}
    )
    assert "Voer een geldig e-mailadres in." in response.content.decode()


def test_an_opt_out_by_phone_needs_no_address_and_covers_several_purposes(client_as, agent):
    from consents.models import ConsentState, DataSubject
    from tests.factories.consents import purpose_with_wording

    first, second, third = (purpose_with_wording() for _ in range(3))
    client = client_as("agent")
    response = client.post(
        "/desk/toestemmingen/",
        {"phone": "06-12345678", "purposes": [first.pk, second.pk], "action": "withdraw"},
        follow=True,
    )
    assert "Vastgelegd: 2 doelen" in response.content.decode()
    subject = DataSubject.objects.get()
    assert subject.email is None and subject.phone_e164 == "+31612345678"
    assert set(ConsentState.objects.values_list("purpose", "status")) == {
        (first.pk, "withdrawn"),
        (second.pk, "withdrawn"),
    }
    # The same caller again, the number typed another way: the same person, now all marketing.
    client.post(
        "/desk/toestemmingen/",
        {"phone": "+31 6 1234 5678", "all_marketing": "on", "action": "withdraw"},
    )
    assert DataSubject.objects.count() == 1
    assert ConsentState.objects.filter(subject=subject, status="withdrawn").count() == 3
    assert not may_contact(subject=subject, purpose=third)
    assert ConsentEvent.objects.filter(method="phone", recorded_by=agent).count() == 5


def test_a_caller_gives_a_number_or_an_address_and_consent_is_per_purpose(client_as, purpose):
    client = client_as("agent")
    nothing = client.post("/desk/toestemmingen/", {"purposes": [purpose.pk], "action": "withdraw"})
    assert "Vul een telefoonnummer of een e-mailadres" in nothing.content.decode()
    bad = client.post(
        "/desk/toestemmingen/", {"phone": "12", "purposes": [purpose.pk], "action": "withdraw"}
    )
    assert "Voer een geldig telefoonnummer in." in bad.content.decode()
    all_given = client.post(
        "/desk/toestemmingen/",
        {"phone": "0612345678", "all_marketing": "on", "action": "give", "wording_read": "on"},
    )
    assert "Toestemming wordt per doel gegeven" in all_given.content.decode()
    assert not ConsentEvent.objects.exists()


def test_a_person_found_by_the_desk_search_comes_prefilled(client_as, purpose):
    from consents.services import subject_get_or_create

    known = subject_get_or_create(email="bel@school.example", name="Bel", phone="0201234567")
    page = client_as("agent").get(f"/desk/toestemmingen/?betrokkene={known.pk}")
    html = page.content.decode()
    assert 'value="bel@school.example"' in html and 'value="0201234567"' in html


def test_may_we_contact_honours_an_opt_out_by_phone_on_the_persons_number(purpose, agent):
    """A caller opted out by number before we knew that number was this person's: "may we
    contact?" says no — for the person, the number and the API's bulk check — until they
    consent again later."""
    import datetime as dt

    import time_machine

    from api.selectors import may_contact_many
    from consents.services import consent_give, consents_by_phone, subject_get_or_create

    start = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        person = subject_get_or_create(email="an@school.example")
        consent_give(subject=person, purpose=purpose, method="web_form")
    with time_machine.travel(start + dt.timedelta(days=1), tick=False):
        caller = consents_by_phone(phone="06 1234 5678", purposes=[purpose], give=False, by=agent)
    assert caller != person and caller.email is None
    assert may_contact(purpose=purpose, subject=person)  # the number is not theirs yet
    with time_machine.travel(start + dt.timedelta(days=2), tick=False):
        person = subject_get_or_create(email="an@school.example", phone="+31612345678")
    assert not may_contact(purpose=purpose, subject=person)
    assert not may_contact(purpose=purpose, email="AN@school.example")
    assert not may_contact(purpose=purpose, phone="0612345678")
    assert list(may_contact_many(purpose=purpose, emails=["an@school.example"])) == [
        ("an@school.example", False)
    ]
    with time_machine.travel(start + dt.timedelta(days=3), tick=False):
        consent_give(subject=person, purpose=purpose, method="web_form")  # a later consent
    assert may_contact(purpose=purpose, subject=person)
    assert may_contact(purpose=purpose, phone="+31 6 12345678")
    assert not may_contact(purpose=purpose, phone="not a number")
