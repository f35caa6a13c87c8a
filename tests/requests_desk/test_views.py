"""The desk as an agent uses it: intake, the request page's actions, search, the dashboard."""

import datetime as dt

import pytest
from django.utils import timezone

from requests_desk.models import DataSubjectRequest, OutboxMessage, Status
from tests.factories import open_request

pytestmark = pytest.mark.django_db


def intake_data(**overrides):
    data = {
        "kind": "access",
        "channel": "phone",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "requester_name": "Piet Jansen",
        "requester_email": "piet@school.example",
        "requester_phone": "0612345678",
        "requester_address": "",
        "description": "Wil weten welke gegevens we hebben.",
    }
    data.update(overrides)
    return data


def test_intake_creates_the_request_and_shows_it(client_as, register):
    response = client_as("agent").post("/desk/nieuw/", intake_data(), follow=True)
    request = DataSubjectRequest.objects.get()
    assert response.redirect_chain[-1][0] == f"/desk/{request.reference}/"
    assert request.requester_name == "Piet Jansen" and request.channel == "phone"
    assert f"Verzoek {request.reference} is aangemaakt" in response.content.decode()


def test_intake_with_bad_input_shows_dutch_errors_and_writes_nothing(client_as, register):
    response = client_as("agent").post(
        "/desk/nieuw/",
        intake_data(requester_name="", requester_email="geen-adres", channel="email"),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Dit veld is verplicht." in body
    assert "Voer een geldig e-mailadres in." in body
    assert not DataSubjectRequest.objects.exists()


def test_intake_refuses_a_receipt_in_the_future(client_as, register):
    tomorrow = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client_as("agent").post("/desk/nieuw/", intake_data(received_at=tomorrow))
    assert "toekomst" in response.content.decode()


def test_a_refused_action_comes_back_as_a_message(client_as, register):
    request = open_request()
    response = client_as("agent").post(
        f"/desk/{request.reference}/actie/", {"action": "start"}, follow=True
    )
    assert "Controleer eerst de identiteit" in response.content.decode()
    request.refresh_from_db()
    assert request.status == Status.NEW


def test_the_request_page_offers_the_actions_the_state_allows(client_as, register):
    request = open_request()
    body = client_as("agent").get(f"/desk/{request.reference}/").content.decode()
    assert "Identiteit opvragen" in body and "Identiteit gecontroleerd" in body
    assert "Afwijzen en brief versturen" not in body  # only the privacy officer rejects
    officer_page = client_as("privacy_officer").get(f"/desk/{request.reference}/")
    assert "Afwijzen en brief versturen" in officer_page.content.decode()


def test_the_letter_preview_shows_the_rendered_letter_escaped(client_as, register):
    request = open_request(requester_name="<script>alert(1)</script>")
    url = f"/desk/{request.reference}/brief/acknowledgement/"
    body = client_as("agent").get(url).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert(1)</script>" not in body


def test_sending_a_letter_from_the_preview_queues_it(client_as, register):
    request = open_request()
    client_as("agent").post(f"/desk/{request.reference}/brief/identity_check/versturen/")
    assert OutboxMessage.objects.filter(request=request, letter_kind="identity_check").exists()


def test_search_by_reference_goes_straight_to_the_request(client_as, register):
    request = open_request()
    response = client_as("agent").get("/desk/zoeken/", {"q": request.reference.lower()})
    assert response.status_code == 302 and response["Location"] == f"/desk/{request.reference}/"


def test_search_by_name_or_e_mail_lists_the_matches(client_as, register):
    open_request(requester_name="Anna Bakker", requester_email="anna@school.example")
    open_request(requester_name="Bert Smit", requester_email="bert@school.example")
    body = client_as("agent").get("/desk/zoeken/", {"q": "bakker"}).content.decode()
    assert "Anna Bakker" in body and "Bert Smit" not in body
    body = client_as("agent").get("/desk/zoeken/", {"q": "bert@"}).content.decode()
    assert "Bert Smit" in body


def test_the_queue_marks_overdue_requests(client_as, register):
    old = timezone.now() - dt.timedelta(days=60)
    request = open_request(received_at=old)
    body = client_as("agent").get("/desk/?tab=overdue").content.decode()
    assert request.reference in body and "te laat" in body


def test_the_dashboard_counts_open_requests_and_the_on_time_rate(client_as, register, agent):
    from requests_desk.services import request_complete, request_verify_identity, task_complete

    request = request_verify_identity(request=open_request(), method="email", by=agent)
    for task in request.tasks.all():
        task_complete(task=task, by=agent)
    request_complete(request=request, by=agent, outcome="Klaar.")
    open_request()
    body = client_as("agent").get("/desk/overzicht/").content.decode()
    assert "100%" in body
