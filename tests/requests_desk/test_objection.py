"""A general objection (Art. 21(1) GDPR) is a kind of its own: its checklist names the register's
activities that rest on a legitimate interest, whose interest and balancing note the desk shows
beside it; the privacy officer decides, with the balancing recorded; upheld, it completes once the
processing has stopped; refused, the rejection letter gives the balancing and the remedies."""

import pytest
from django.core.exceptions import ValidationError

from privacy_register.models import ProcessingActivity
from requests_desk.models import EventKind, OutboxMessage, Status
from requests_desk.services import (
    objection_decide,
    request_complete,
    request_reject,
    request_verify_identity,
    task_complete,
)
from tests.factories import open_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def objection(register):
    request = open_request(kind="objection", description="Ik wil geen profiel op de website.")
    return request_verify_identity(request=request, method="email", by=None)


def test_the_checklist_holds_the_activities_resting_on_a_legitimate_interest(objection):
    expected = set(
        ProcessingActivity.objects.active()
        .filter(legal_basis="legitimate_interest", is_searchable_by_subject=True)
        .values_list("pk", flat=True)
    )
    assert expected and set(objection.tasks.values_list("activity_id", flat=True)) == expected


def test_only_the_privacy_officer_decides_and_only_with_the_balancing(
    objection, agent, privacy_officer
):
    with pytest.raises(ValidationError) as refused:
        objection_decide(request=objection, decision="upheld", balancing="Geen.", by=agent)
    assert refused.value.code == "not_permitted"
    with pytest.raises(ValidationError) as refused:
        objection_decide(request=objection, decision="upheld", balancing="  ", by=privacy_officer)
    assert refused.value.code == "balancing"


def test_an_upheld_objection_completes_once_the_processing_has_stopped(objection, privacy_officer):
    with pytest.raises(ValidationError) as refused:
        request_complete(request=objection, outcome="Gestopt.", by=privacy_officer)
    assert refused.value.code == "objection_undecided"
    objection_decide(
        request=objection,
        decision="upheld",
        balancing="Haar bijzondere situatie weegt zwaarder dan ons belang bij webstatistieken.",
        by=privacy_officer,
    )
    objection.refresh_from_db()
    assert objection.objection_decision == "upheld"
    event = objection.events.get(kind=EventKind.OBJECTION_DECIDED)
    assert "bijzondere situatie" in event.text and event.by == privacy_officer
    assert objection.history.filter(objection_decision="upheld").exists()
    for task in objection.tasks.all():
        task_complete(task=task, by=privacy_officer)
    request_complete(request=objection, outcome="De verwerking is gestopt.", by=privacy_officer)
    objection.refresh_from_db()
    assert objection.status == Status.COMPLETED


def test_a_refused_objection_sends_the_balancing_in_the_rejection_letter(
    objection, privacy_officer
):
    objection_decide(
        request=objection,
        decision="legal_claims",
        balancing="Wij hebben de gegevens nodig in het lopende geschil over factuur 2026-118.",
        by=privacy_officer,
    )
    objection.refresh_from_db()
    assert objection.status == Status.REJECTED
    letter = OutboxMessage.objects.get(request=objection, letter_kind="rejection")
    text = " ".join(letter.body.split())  # the letter wraps its lines
    assert "factuur 2026-118" in text and "Autoriteit Persoonsgegevens" in text


def test_an_objection_is_not_rejected_around_the_decision(objection, privacy_officer):
    with pytest.raises(ValidationError) as refused:
        request_reject(request=objection, reasons="Nee.", by=privacy_officer)
    assert refused.value.code == "objection_undecided"


def test_it_is_decided_once(objection, privacy_officer):
    objection_decide(
        request=objection, decision="upheld", balancing="Toegewezen.", by=privacy_officer
    )
    with pytest.raises(ValidationError) as refused:
        objection_decide(
            request=objection,
            decision="compelling_grounds",
            balancing="Toch niet.",
            by=privacy_officer,
        )
    assert refused.value.code == "decided"


def test_the_desk_shows_the_registers_legitimate_interest_beside_it(
    objection, client_as, django_assert_max_num_queries
):
    activity = ProcessingActivity.objects.get(pk=objection.tasks.first().activity_id)
    activity.balancing_note = "Afgewogen op 3 maart: gering effect op de privacy."
    activity.save()
    client = client_as("privacy_officer")
    with django_assert_max_num_queries(40):
        page = client.get(f"/desk/{objection.reference}/").content.decode()
    assert "Bezwaar (art. 21 lid 1 AVG): belangenafweging" in page
    assert activity.legitimate_interest.split("'")[0][:40] in page
    assert "Afgewogen op 3 maart" in page
    assert "Besluit vastleggen" in page
    response = client.post(
        f"/desk/{objection.reference}/bezwaar/",
        {"decision": "upheld", "balancing": "Geen dwingende gronden."},
        follow=True,
    )
    assert "Het besluit op het bezwaar is vastgelegd." in response.content.decode()
    assert "Geen dwingende gronden." in response.content.decode()


def test_an_agent_sees_the_note_but_not_the_decision_form(objection, client_as):
    page = client_as("agent").get(f"/desk/{objection.reference}/").content.decode()
    assert "Gerechtvaardigd belang (register)" in page
    assert "Besluit vastleggen" not in page
    assert "De privacy officer beslist op dit bezwaar." in page
