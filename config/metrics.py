"""Prometheus metrics at `/metrics`: django-prometheus's own (requests, latencies, database)
plus the office's, read from the database at each scrape: open requests by status, requests
past their target date, the outbox by status, export jobs running, and each periodic job's last
success. Only staff, or a caller with the METRICS_TOKEN bearer token, may read them."""

import hmac
import time

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily

LAST_SUCCESS_KEY = "platform:last-success:"


def job_succeeded(task_name: str) -> None:
    """Record that a task finished well (config/celery.py calls this for every task)."""
    cache.set(LAST_SUCCESS_KEY + task_name, time.time(), timeout=None)


class OfficeCollector:
    """The office's gauges, a fixed number of queries per scrape whatever the row count."""

    def collect(self):
        from audit_exports.models import ExportJob, JobStatus
        from requests_desk.models import OPEN_STATUSES, DataSubjectRequest, OutboxMessage

        by_status = GaugeMetricFamily(
            "privacy_office_open_requests", "Open data-subject requests", labels=["status"]
        )
        counts = dict.fromkeys(OPEN_STATUSES, 0)
        for row in (
            DataSubjectRequest.objects.filter(status__in=OPEN_STATUSES)
            .values("status")
            .annotate(n=Count("pk"))
        ):
            counts[row["status"]] = row["n"]
        for status, number in counts.items():
            by_status.add_metric([str(status)], number)
        yield by_status
        yield GaugeMetricFamily(
            "privacy_office_requests_past_target",
            "Open requests past their target date",
            value=DataSubjectRequest.objects.filter(
                status__in=OPEN_STATUSES, target_on__lt=timezone.localdate()
            ).count(),
        )
        outbox = GaugeMetricFamily(
            "privacy_office_outbox_messages", "Outbox messages", labels=["status"]
        )
        seen = dict(
            OutboxMessage.objects.exclude(status="sent")
            .values_list("status")
            .annotate(n=Count("pk"))
        )
        for status in ("queued", "failed"):
            outbox.add_metric([status], seen.get(status, 0))
        yield outbox
        yield GaugeMetricFamily(
            "privacy_office_export_jobs_running",
            "Auditor export jobs queued or running",
            value=ExportJob.objects.filter(
                status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
            ).count(),
        )
        last = GaugeMetricFamily(
            "privacy_office_job_last_success_timestamp_seconds",
            "When each periodic job last finished without error (Unix time)",
            labels=["job"],
        )
        tasks = sorted({entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()})
        stamps = cache.get_many([LAST_SUCCESS_KEY + task for task in tasks])
        for task in tasks:
            if LAST_SUCCESS_KEY + task in stamps:
                last.add_metric([task], stamps[LAST_SUCCESS_KEY + task])
        yield last


def _allowed(request) -> bool:
    if request.user.is_authenticated and request.user.is_staff:
        return True
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ")
    return bool(token) and hmac.compare_digest(given.encode(), token.encode())


@never_cache
def metrics(request):
    if not _allowed(request):
        return HttpResponse(status=403 if request.user.is_authenticated else 401)
    office = CollectorRegistry(auto_describe=False)
    office.register(OfficeCollector())
    body = generate_latest(REGISTRY) + generate_latest(office)
    return HttpResponse(body, content_type="text/plain; version=0.0.4; charset=utf-8")
