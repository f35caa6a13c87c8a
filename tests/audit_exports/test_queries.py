"""The export pages read a fixed number of queries, however many exports and tables there are."""

import pytest

from audit_exports.services import export_start
from tests.audit_exports.conftest import HISTORY

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_jobs(auditor, history):
    return [export_start(by=auditor, tables=[HISTORY], fmt="csv") for _ in range(5)]


@pytest.mark.parametrize(
    "url",
    [
        "/admin/audit_exports/exportjob/nieuw/",
        "/admin/audit_exports/exportjob/",
        "/admin/audit_exports/exportjob/{pk}/voortgang/",
        "/admin/audit_exports/exportjob/{pk}/status/",
    ],
)
def test_pages_are_query_bound(client_as, many_jobs, django_assert_max_num_queries, url):
    client = client_as("auditor")
    with django_assert_max_num_queries(12):
        response = client.get(url.format(pk=many_jobs[0].pk))
    assert response.status_code == 200
