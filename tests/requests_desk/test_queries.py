"""With 10,000 requests in the database the queue, search and the request page still run a fixed
number of queries."""

import datetime as dt

import pytest
from django.utils import timezone

from requests_desk.models import DataSubjectRequest, RequestKind, Status
from tests.factories import open_request

pytestmark = pytest.mark.django_db

MANY = 10_000


@pytest.fixture
def many_requests(register, agent):
    today = timezone.localdate()
    now = timezone.now()
    DataSubjectRequest.objects.bulk_create(
        DataSubjectRequest(
            reference=f"AVG-2020-{i:05d}",
            kind=RequestKind.values[i % len(RequestKind.values)],
            channel="email",
            requester_name=f"Verzoeker {i}",
            requester_email=f"v{i}@school.example",
            received_at=now - dt.timedelta(days=i % 40),
            due_on=today + dt.timedelta(days=(i % 60) - 20),
            target_on=today + dt.timedelta(days=(i % 50) - 20),
            status=Status.IN_PROGRESS if i % 3 else Status.NEW,
            assignee=agent if i % 2 else None,
        )
        for i in range(1, MANY + 1)
    )
    return open_request()


@pytest.mark.parametrize("tab", ["mine", "unassigned", "week", "overdue", "open"])
def test_the_queue_runs_a_fixed_number_of_queries(
    client_as, many_requests, tab, django_assert_max_num_queries
):
    client = client_as("agent")
    with django_assert_max_num_queries(12):
        response = client.get("/desk/", {"tab": tab})
    assert response.status_code == 200


def test_the_request_page_runs_a_fixed_number_of_queries(
    client_as, many_requests, django_assert_max_num_queries
):
    client = client_as("agent")
    with django_assert_max_num_queries(16):  # + the systems the answer waits for
        response = client.get(f"/desk/{many_requests.reference}/")
    assert response.status_code == 200


def test_search_and_the_dashboard_run_a_fixed_number_of_queries(
    client_as, many_requests, django_assert_max_num_queries
):
    client = client_as("agent")
    with django_assert_max_num_queries(12):
        assert client.get("/desk/zoeken/", {"q": "Verzoeker 1"}).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/desk/overzicht/").status_code == 200
