"""The admin's search (accounts/search.py) finds what Django's own search finds: a term in the
row's own columns, in a related row's column, and a number exactly; every term must match."""

import pytest
from django.contrib import admin

from requests_desk.models import DataSubjectRequest, RequestEvent, RequestTask
from tests.factories import open_request

pytestmark = pytest.mark.django_db


def search(rf, user, model, term: str):
    request = rf.get("/", {"q": term})
    request.user = user
    return list(admin.site._registry[model].get_changelist_instance(request).queryset)


@pytest.fixture
def two_requests(register):
    return (
        open_request(requester_name="Joke de Vries", requester_email="joke@school.example"),
        open_request(requester_name="Piet Bakker", requester_email="piet@school.example"),
    )


def test_own_columns_match_in_part_and_in_any_case(rf, privacy_officer, two_requests):
    joke, piet = two_requests
    assert search(rf, privacy_officer, DataSubjectRequest, "VRIES") == [joke]
    assert search(rf, privacy_officer, DataSubjectRequest, "school.example") == [joke, piet]
    assert search(rf, privacy_officer, DataSubjectRequest, "joke vries") == [joke]
    assert search(rf, privacy_officer, DataSubjectRequest, "joke bakker") == []


def test_a_related_column_matches_through_the_relation(rf, privacy_officer, two_requests):
    joke, piet = two_requests
    found = search(rf, privacy_officer, RequestEvent, joke.reference)
    assert found and {event.request_id for event in found} == {joke.pk}
    tasks = search(rf, privacy_officer, RequestTask, piet.reference)
    assert tasks and {task.request_id for task in tasks} == {piet.pk}
    assert search(rf, privacy_officer, RequestTask, "AVG-1999") == []


def test_the_ledger_matches_a_sequence_number_exactly(rf, privacy_officer, register):
    from consents.models import ConsentEvent
    from consents.services import consent_give
    from tests.factories import DataSubjectFactory, purpose_with_wording

    purpose = purpose_with_wording()
    for n in range(12):
        consent_give(
            subject=DataSubjectFactory(email=f"lid-{chr(97 + n)}@school.example"),
            purpose=purpose,
            method="web_form",
        )
    events = list(ConsentEvent.objects.order_by("sequence"))
    eleventh = events[10]
    assert search(rf, privacy_officer, ConsentEvent, str(eleventh.sequence)) == [eleventh]
    assert search(rf, privacy_officer, ConsentEvent, "lid-d@school") == [events[3]]
