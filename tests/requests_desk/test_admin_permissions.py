"""The desk's models in the admin, URL × role → status: the privacy officer sees and edits what a
person may edit (letter templates, a requester's contact details), auditors only look, agents and
users without a role never get in. Nobody adds or deletes requests, timelines, tasks or letters
here: those change through the desk's services only."""

import pytest

from requests_desk.models import LetterTemplate, OutboxMessage, RequestEvent
from tests.conftest import ADMIN_LOOK, ADMIN_NEVER, ADMIN_OUT, MATRIX_ROLES, assert_status
from tests.factories import DataSubjectRequestFactory, open_request

pytestmark = pytest.mark.django_db


ADMIN = "/admin/requests_desk"


@pytest.fixture
def rows(register):
    request = open_request()
    return {
        "datasubjectrequest": request.pk,
        "requestevent": RequestEvent.objects.filter(request=request).first().pk,
        "requesttask": request.tasks.first().pk,
        "lettertemplate": LetterTemplate.objects.get(kind="acknowledgement").pk,
        "outboxmessage": OutboxMessage.objects.get(request=request).pk,
    }


def urls(rows):
    matrix = {}
    for model, pk in rows.items():
        matrix[f"{ADMIN}/{model}/"] = ADMIN_LOOK
        matrix[f"{ADMIN}/{model}/add/"] = ADMIN_NEVER
        matrix[f"{ADMIN}/{model}/{pk}/change/"] = ADMIN_LOOK
        matrix[f"{ADMIN}/{model}/{pk}/history/"] = ADMIN_LOOK
        matrix[f"{ADMIN}/{model}/{pk}/delete/"] = ADMIN_NEVER
    matrix[f"{ADMIN}/"] = ADMIN_LOOK
    return matrix


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_every_admin_url_of_the_desk_per_role(client_as, rows, role):
    client = client_as(role)
    for url, expected in urls(rows).items():
        assert_status(client, url, expected[role])


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_only_the_privacy_officer_edits_a_letter_template(client_as, rows, role):
    url = f"{ADMIN}/lettertemplate/{rows['lettertemplate']}/change/"
    data = {"subject": "Ontvangen: {{ kenmerk }}", "body": "Beste {{ naam }},\n\nOntvangen."}
    expected = {**ADMIN_OUT, "privacy_officer": 302, "auditor": 403}[role]
    assert_status(client_as(role), url, expected, method="post", data=data)
    template = LetterTemplate.objects.get(pk=rows["lettertemplate"])
    assert (template.subject == data["subject"]) is (role == "privacy_officer")


def test_the_officers_edit_is_kept_in_the_history_and_used_by_the_next_letter(
    client_as, rows, privacy_officer
):
    url = f"{ADMIN}/lettertemplate/{rows['lettertemplate']}/change/"
    client_as("privacy_officer").post(
        url, {"subject": "Wij hebben {{ kenmerk }}", "body": "Dag {{ naam }}, dank u."}
    )
    template = LetterTemplate.objects.get(pk=rows["lettertemplate"])
    latest = template.history.first()
    assert (latest.history_user, latest.subject) == (privacy_officer, "Wij hebben {{ kenmerk }}")
    request = open_request(requester_email="iemand@school.example", requester_name="Kees Jansen")
    letter = OutboxMessage.objects.get(request=request)
    assert letter.subject == f"Wij hebben {request.reference}"
    assert letter.body == "Dag Kees Jansen, dank u.\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Beste {{ kennmerk }}", "Onbekende gegevens in het sjabloon: kennmerk"),
        ("Beste {% if naam %}", "geen geldig sjabloon"),
    ],
)
def test_the_admin_refuses_a_template_that_would_not_render_or_leave_a_gap(
    client_as, rows, body, message
):
    url = f"{ADMIN}/lettertemplate/{rows['lettertemplate']}/change/"
    response = client_as("privacy_officer").post(url, {"subject": "Onderwerp", "body": body})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert LetterTemplate.objects.get(pk=rows["lettertemplate"]).body != body


def test_the_officer_corrects_a_requesters_contact_details_with_history(
    client_as, rows, privacy_officer
):
    pk = rows["datasubjectrequest"]
    data = {
        "requester_name": "Joke de Vries-Bakker",
        "requester_email": "joke@school.example",
        "requester_phone": "0201234567",
        "requester_address": "",
        "description": "",
        "tasks-TOTAL_FORMS": "0",
        "tasks-INITIAL_FORMS": "0",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    response = client_as("privacy_officer").post(f"{ADMIN}/datasubjectrequest/{pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    request = DataSubjectRequestFactory._meta.model.objects.get(pk=pk)
    assert request.requester_name == "Joke de Vries-Bakker"
    assert request.history.first().history_user == privacy_officer


@pytest.mark.parametrize(
    "model", ["datasubjectrequest", "requestevent", "requesttask", "outboxmessage"]
)
def test_admin_changelists_run_a_bounded_number_of_queries(
    client_as, register, model, django_assert_max_num_queries
):
    for number in range(12):
        open_request(requester_email=f"persoon{number}@school.example")
    client = client_as("auditor")
    with django_assert_max_num_queries(20):
        response = client.get(f"{ADMIN}/{model}/")
    assert response.status_code == 200


def test_a_requests_admin_page_runs_a_bounded_number_of_queries_however_long_its_checklist(
    client_as, register, agent, django_assert_max_num_queries
):
    from requests_desk.services import request_note, task_complete

    request = open_request()
    for task in request.tasks.all():
        task_complete(task=task, by=agent)
    for number in range(30):
        request_note(request=request, text=f"Notitie {number}", by=agent)
    assert request.tasks.count() > 5 and request.events.count() > 40
    client = client_as("auditor")
    with django_assert_max_num_queries(20):
        response = client.get(f"{ADMIN}/datasubjectrequest/{request.pk}/change/")
    assert response.status_code == 200


def test_the_officer_corrects_the_e_mail_address_through_the_service(client_as, rows):
    pk = rows["datasubjectrequest"]
    data = {
        "requester_name": "Joke de Vries",
        "requester_email": "joke.devries@school.example",
        "requester_phone": "",
        "requester_address": "",
        "description": "Inzage gevraagd per brief.",
        "tasks-TOTAL_FORMS": "0",
        "tasks-INITIAL_FORMS": "0",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    client = client_as("privacy_officer")
    response = client.post(f"{ADMIN}/datasubjectrequest/{pk}/change/", data)
    assert response.status_code == 302
    request = DataSubjectRequestFactory._meta.model.objects.get(pk=pk)
    assert request.subject.email == "joke.devries@school.example"
    assert request.description == "Inzage gevraagd per brief."
    assert request.events.filter(data__corrected=["requester_email"]).exists()
    data["requester_email"] = ""
    response = client.post(f"{ADMIN}/datasubjectrequest/{pk}/change/", data)
    assert response.status_code == 200
    assert "ten minste een e-mailadres" in response.content.decode()
