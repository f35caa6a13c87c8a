"""The register's admin list stays within a fixed number of queries with 1,000 activities."""

import pytest

from privacy_register.models import ProcessingActivity

pytestmark = pytest.mark.django_db


@pytest.fixture
def thousand_activities(db):
    ProcessingActivity.objects.bulk_create(
        ProcessingActivity(
            slug=f"verwerking-{i}",
            name=f"Verwerking {i}",
            purposes="Doel",
            legal_basis="consent",
            retention_event="until_opt_out",
            status="active",
        )
        for i in range(1000)
    )


@pytest.mark.parametrize("query", ["", "?status__exact=active", "?q=Verwerking+9", "?p=5"])
def test_the_activity_list_is_bounded(
    client_as, thousand_activities, query, django_assert_max_num_queries
):
    client = client_as("privacy_officer")
    with django_assert_max_num_queries(12):
        assert client.get(f"/admin/privacy_register/processingactivity/{query}").status_code == 200


def test_the_export_and_the_report_are_bounded(
    client_as, thousand_activities, django_assert_max_num_queries
):
    client = client_as("auditor")
    # Session, user, permissions, the controller, the activities and their seven relations.
    with django_assert_max_num_queries(20):
        assert client.get("/admin/privacy_register/processingactivity/art30.csv").status_code == 200
    with django_assert_max_num_queries(12):
        assert (
            client.get("/admin/privacy_register/processingactivity/volledigheid/").status_code
            == 200
        )
