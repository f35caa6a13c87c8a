"""Rectification (Art. 16): the agent's corrections reach every source, each with history; the
recipients become Art. 19 tasks."""

import pytest
from django.core.exceptions import ValidationError

from consents.models import DataSubject
from consents.services import email_hash
from requests_desk.models import DataSubjectRequest, EventKind
from self_service.models import PendingSubmission
from subject_rights.services import rectification_apply
from tests.subject_rights.conftest import EMAIL, NAME, verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def rectification(person):
    return verified("rectification")


def test_corrections_reach_every_source_with_history(rectification, agent):
    changed = rectification_apply(
        request=rectification,
        changes={"name": "Wilhelmina Tromp", "phone": "010-1234567", "function": "Bestuurder"},
        by=agent,
    )
    assert changed["toestemmingen"] == ["name", "phone", "function"]
    subject = DataSubject.objects.get()
    assert (subject.name, subject.phone, subject.function) == (
        "Wilhelmina Tromp",
        "010-1234567",
        "Bestuurder",
    )
    last = subject.history.first()
    assert last.history_change_reason == rectification.reference
    assert subject.history.filter(name=NAME).exists()  # the earlier value is in the history
    assert set(DataSubjectRequest.objects.values_list("requester_name", "requester_phone")) == {
        ("Wilhelmina Tromp", "010-1234567")
    }
    assert PendingSubmission.objects.get().name == "Wilhelmina Tromp"
    event = rectification.events.get(kind=EventKind.RECTIFIED)
    assert "Tromp" not in event.text  # field names, not values


def test_a_new_email_gets_its_own_hash(rectification, agent):
    rectification_apply(
        request=rectification, changes={"email": "W.Tromp@School.example"}, by=agent
    )
    subject = DataSubject.objects.get()
    assert subject.email == "w.tromp@school.example"
    assert subject.email_hash == email_hash("w.tromp@school.example")
    assert not DataSubjectRequest.objects.filter(requester_email=EMAIL).exists()


def test_an_address_of_someone_else_is_refused(rectification, agent):
    from consents.services import subject_get_or_create

    subject_get_or_create(email="ander@school.example")
    with pytest.raises(ValidationError):
        rectification_apply(
            request=rectification, changes={"email": "ander@school.example"}, by=agent
        )


def test_recipients_become_art_19_tasks(rectification, agent):
    rectification_apply(request=rectification, changes={"phone": "010-1234567"}, by=agent)
    assert rectification.tasks.filter(title__contains="art. 19").exists()


def test_empty_corrections_are_refused(rectification, agent):
    with pytest.raises(ValidationError):
        rectification_apply(request=rectification, changes={"name": " "}, by=agent)


def test_only_a_rectification_request_rectifies(person, agent):
    with pytest.raises(ValidationError):
        rectification_apply(request=person, changes={"name": "X"}, by=agent)


def test_rectifying_twice_adds_no_second_art_19_task(rectification, agent):
    rectification_apply(request=rectification, changes={"phone": "010-1234567"}, by=agent)
    count = rectification.tasks.count()
    rectification_apply(request=rectification, changes={"phone": "010-7654321"}, by=agent)
    assert rectification.tasks.count() == count


def test_the_desk_form_applies_the_corrections(rectification, client_as):
    client = client_as("agent")
    response = client.post(
        f"/desk/{rectification.reference}/rechten/corrigeren/", {"organisation": "IKC Het Anker"}
    )
    assert response.status_code == 302
    assert DataSubject.objects.get().organisation == "IKC Het Anker"
    page = client.get(f"/desk/{rectification.reference}/").content.decode()
    assert "Correcties invoeren" in page
