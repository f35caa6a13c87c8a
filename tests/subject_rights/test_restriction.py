"""Restriction (Art. 18): the flag stops every marketing purpose, shows on the desk, and is lifted
only by the privacy officer with a recorded reason, announced first: the letter names the day, the
restriction holds until then, and a job lifts it on that day (Art. 18(3))."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from consents.models import ConsentPurpose, DataSubject
from consents.selectors import may_contact
from requests_desk.models import DataSubjectRequest, OutboxMessage, PostalLetter
from subject_rights.models import RestrictionLift
from subject_rights.services import (
    restriction_apply,
    restriction_lift_announce,
    restrictions_lift_due,
)
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


# Tuesday 1 December 2026: five working days later is Tuesday 8 December.
ANNOUNCED = dt.datetime(2026, 12, 1, 10, tzinfo=timezone.get_default_timezone())
LIFT_DAY = dt.date(2026, 12, 8)


def announce(restriction, privacy_officer):
    with time_machine.travel(ANNOUNCED):
        return restriction_lift_announce(
            request=restriction, by=privacy_officer, reason="Juistheid vastgesteld"
        )


def test_lifting_needs_the_officer_and_a_reason(restriction, agent, privacy_officer):
    restriction_apply(request=restriction, by=agent)
    with pytest.raises(ValidationError) as refused:
        restriction_lift_announce(request=restriction, by=agent, reason="Klopt niet")
    assert refused.value.code == "not_permitted"
    with pytest.raises(ValidationError) as refused:
        restriction_lift_announce(request=restriction, by=privacy_officer, reason=" ")
    assert refused.value.code == "reason"
    assert not RestrictionLift.objects.exists()


def test_lifting_is_announced_first_and_the_restriction_holds_until_the_day(
    restriction, agent, privacy_officer
):
    restriction_apply(request=restriction, by=agent)
    lift = announce(restriction, privacy_officer)
    assert lift.lift_on == LIFT_DAY  # DESK_RESTRICTION_NOTICE_DAYS = 5 working days
    subject, purpose = DataSubject.objects.get(), ConsentPurpose.objects.get()
    assert subject.is_restricted
    for day in (ANNOUNCED.date(), dt.date(2026, 12, 7)):
        assert restrictions_lift_due(today=day) == 0
        assert not may_contact(purpose=purpose, subject=subject)  # "may we contact?" still no
    assert restrictions_lift_due(today=LIFT_DAY) == 1
    subject.refresh_from_db()
    assert not subject.is_restricted
    assert subject.history.first().history_change_reason == "Juistheid vastgesteld"
    assert may_contact(purpose=purpose, subject=subject)
    assert restriction.events.filter(kind="unrestricted", by=None).count() == 1


def test_the_job_lifts_each_restriction_once(restriction, agent, privacy_officer):
    restriction_apply(request=restriction, by=agent)
    announce(restriction, privacy_officer)
    assert restrictions_lift_due(today=LIFT_DAY) == 1
    assert restrictions_lift_due(today=LIFT_DAY) == 0
    assert restrictions_lift_due(today=LIFT_DAY + dt.timedelta(days=3)) == 0
    assert restriction.events.filter(kind="unrestricted").count() == 1
    assert RestrictionLift.objects.get().lifted_at is not None


def test_a_second_announcement_is_refused(restriction, agent, privacy_officer):
    restriction_apply(request=restriction, by=agent)
    announce(restriction, privacy_officer)
    with pytest.raises(ValidationError) as refused:
        announce(restriction, privacy_officer)
    assert refused.value.code == "already_announced"


def test_the_person_is_told_first_with_the_date_and_the_reason(restriction, agent, privacy_officer):
    restriction_apply(request=restriction, by=agent)
    announce(restriction, privacy_officer)
    letter = OutboxMessage.objects.get(request=restriction, letter_kind="restriction_lifted")
    assert letter.to == restriction.requester_email
    assert "8 december 2026" in letter.subject and "8 december 2026" in letter.body
    assert "artikel 18, derde lid" in letter.body and "Juistheid vastgesteld" in letter.body
    assert "Autoriteit" in letter.body and "rechter" in letter.body


def test_without_an_e_mail_address_the_letter_waits_in_the_post_queue(
    restriction, agent, privacy_officer
):
    restriction_apply(request=restriction, by=agent)
    DataSubjectRequest.objects.filter(pk=restriction.pk).update(
        requester_email="", requester_address="Dorpsstraat 1\n1234 AB Ergens"
    )
    restriction.refresh_from_db()
    announce(restriction, privacy_officer)
    assert not OutboxMessage.objects.filter(letter_kind="restriction_lifted").exists()
    letter = PostalLetter.objects.get(request=restriction, letter_kind="restriction_lifted")
    assert "8 december 2026" in letter.body and letter.address.startswith("Dorpsstraat 1")
    assert DataSubject.objects.get().is_restricted


def test_the_desk_shows_the_announced_day(restriction, agent, privacy_officer, client_as):
    restriction_apply(request=restriction, by=agent)
    announce(restriction, privacy_officer)
    page = client_as("privacy_officer").get(f"/desk/{restriction.reference}/").content.decode()
    assert "de beperking vervalt op 8 december 2026" in page
    assert "Opheffen aankondigen" not in page  # announced once


def test_the_admin_shows_but_does_not_edit_the_flag(restriction, client_as):
    subject = DataSubject.objects.get()
    page = client_as("privacy_officer").get(f"/admin/consents/datasubject/{subject.pk}/change/")
    assert page.status_code == 200
    assert 'name="is_restricted"' not in page.content.decode()


def test_erasure_blanks_the_reason_of_an_announced_lifting(restriction, agent, privacy_officer):
    from subject_rights.services import erasure_carry_out

    restriction_apply(request=restriction, by=agent)
    announce(restriction, privacy_officer)
    erasure = DataSubjectRequest.objects.get(kind="erasure")
    erasure_carry_out(request=erasure, by=privacy_officer)
    lift = RestrictionLift.objects.get()
    assert lift.reason == "(gewist)" and not lift.history.filter(reason__contains="Juist").exists()
