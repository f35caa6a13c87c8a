"""/metrics for Prometheus: django-prometheus's figures and the office's own, for staff or a
bearer token only; the gauges follow the database and cost a fixed number of queries."""

import datetime as dt
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.tasks import worker_heartbeat
from audit_exports.models import ExportJob
from requests_desk.models import OutboxMessage
from tests.conftest import assert_status
from tests.factories import open_request
from tests.platform.test_celery_worker import celery_config, celery_worker_parameters  # noqa: F401

ROWS = {"anonymous": 401, "no_role": 403, "agent": 403, "privacy_officer": 200, "auditor": 200}


def gauge(body: str, name: str) -> float:
    [line] = [line for line in body.splitlines() if line.startswith(name + " ")]
    return float(line.split()[-1])


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROWS)
def test_metrics_are_for_staff_only(client_as, role):
    assert_status(client_as(role), "/metrics", ROWS[role])


@pytest.mark.django_db
def test_a_bearer_token_reads_the_metrics_and_a_wrong_one_does_not(client, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token").status_code == 200
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer guess").status_code == 401
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 401


@pytest.mark.django_db
def test_the_office_gauges_follow_the_database_in_a_fixed_number_of_queries(
    client_as, register, auditor
):
    client = client_as("auditor")

    def scrape():
        with CaptureQueriesContext(connection) as queries:
            body = client.get("/metrics").content.decode()
        return body, len(queries)

    before, queries_before = scrape()
    assert "django_http_requests_total_by_method_total" in before  # django-prometheus's own
    assert gauge(before, "privacy_office_requests_past_target") == 0
    for number in range(3):
        open_request(
            requester_email=f"p{number}@school.example",
            received_at=timezone.now() - dt.timedelta(days=40),
        )
    OutboxMessage.objects.filter(pk=OutboxMessage.objects.first().pk).update(status="failed")
    ExportJob.objects.create(created_by=auditor, tables=["x"], format="csv")
    after, queries_after = scrape()
    assert gauge(after, "privacy_office_requests_past_target") == 3
    assert gauge(after, 'privacy_office_open_requests{status="new"}') + gauge(
        after, 'privacy_office_open_requests{status="identity_pending"}'
    ) == 3
    assert gauge(after, 'privacy_office_outbox_messages{status="failed"}') == 1
    assert gauge(after, 'privacy_office_outbox_messages{status="queued"}') >= 2
    assert gauge(after, "privacy_office_export_jobs_running") == 1
    assert queries_after == queries_before


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_job_runs_on_a_real_worker_and_its_success_is_a_metric(
    celery_app, celery_worker, client_as
):
    celery_worker.reload()
    assert celery_app.send_task(worker_heartbeat.name).get(timeout=30) > 0
    # Celery stores the result before it sends task_success, so the stamp may land a moment
    # after .get() returns: scrape until it is there (at most ten seconds).
    client = client_as("auditor")
    name = (
        "privacy_office_job_last_success_timestamp_seconds"
        '{job="accounts.tasks.worker_heartbeat"}'
    )
    for _ in range(100):
        body = client.get("/metrics").content.decode()
        if name + " " in body:
            break
        time.sleep(0.1)
    assert gauge(body, name) == pytest.approx(timezone.now().timestamp(), abs=60)
