"""Restriction (Art. 18): the flag stops every marketing purpose, shows on the desk, and is lifted
only by the privacy officer with a recorded reason, which the person is told (Art. 18(3))."""

import pytest
from django.core.exceptions import ValidationError

from consents.models import ConsentPurpose, DataSubject
from consents.selectors import may_contact
from requests_desk.models import DataSubjectRequest, OutboxMessage
from subject_rights.services import restriction_apply, restriction_lift
from tests.subject_rights.conftest import verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def restriction(person):
    return verified("restriction")


def test_a_restriction_stops_every_marketing_purpose(restriction, agent):
    purpose = ConsentPurpose.objects.get()
    subject = DataSubject.objects.get()
    assert may_contact(purpose=purpose, subject=subject)
    restriction_apply(request=restriction, by=agent)
    assert not may_contact(purpose=purpose, subject=subject)
    assert restriction.tasks.filter(title__contains="art. 19").exists()


def test_the_desk_shows_the_restriction(restriction, agent, client_as):
    restriction_apply(request=restriction, by=agent)
    page = client_as("agent").get(f"/desk/{restriction.reference}/").content.decode()
    assert "Verwerking beperkt (art. 18)" in page


def test_lifting_needs_the_officer_and_a_reason(restriction, agent, privacy_officer):
    restriction_apply(request=restriction, by=agent)
    with pytest.raises(ValidationError):
        restriction_lift(request=restriction, by=agent, reason="Klopt niet")
    with pytest.raises(ValidationError):
        restriction_lift(request=restriction, by=privacy_officer, reason=" ")
    restriction_lift(request=restriction, by=privacy_officer, reason="Juistheid vastgesteld")
    subject = DataSubject.objects.get()
    assert not subject.is_restricted
    assert subject.history.first().history_change_reason == "Juistheid vastgesteld"
    assert may_contact(purpose=ConsentPurpose.objects.get(), subject=subject)


def test_the_person_is_told_of_the_lifting_with_the_reason(restriction, agent, privacy_officer):
    restriction_apply(request=restriction, by=agent)
    restriction_lift(request=restriction, by=privacy_officer, reason="Juistheid vastgesteld")
    letter = OutboxMessage.objects.get(request=restriction, letter_kind="restriction_lifted")
    assert letter.to == restriction.requester_email
    assert "artikel 18, derde lid" in letter.body and "Juistheid vastgesteld" in letter.body


def test_without_an_e_mail_address_the_timeline_asks_for_a_letter_by_post(
    restriction, agent, privacy_officer
):
    restriction_apply(request=restriction, by=agent)
    DataSubjectRequest.objects.filter(pk=restriction.pk).update(requester_email="")
    restriction.refresh_from_db()
    restriction_lift(request=restriction, by=privacy_officer, reason="Juistheid vastgesteld")
    assert not OutboxMessage.objects.filter(letter_kind="restriction_lifted").exists()
    assert restriction.events.filter(kind="note", text__contains="per post").exists()


def test_the_admin_shows_but_does_not_edit_the_flag(restriction, client_as):
    subject = DataSubject.objects.get()
    page = client_as("privacy_officer").get(f"/admin/consents/datasubject/{subject.pk}/change/")
    assert page.status_code == 200
    assert 'name="is_restricted"' not in page.content.decode()
