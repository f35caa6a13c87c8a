"""/health/ for the load balancer: every check passes on a healthy office; a stale worker
heartbeat, an unreachable broker, an unapplied migration or an old checkpoint fail it."""

import datetime as dt
import time

import pytest
from django.core.cache import cache
from django.utils import timezone

from accounts.tasks import worker_heartbeat
from config.health import HEARTBEAT_KEY

pytestmark = pytest.mark.django_db(transaction=True)
LAST_CHECKPOINT = None


def last_checkpoint():
    return LAST_CHECKPOINT


def health(client):
    return client.get("/health/", HTTP_ACCEPT="application/json")


def test_a_healthy_office_answers_200_with_every_check(client):
    worker_heartbeat()  # the job's function, as the worker runs it
    response = health(client)
    assert response.status_code == 200, response.json()
    names = " ".join(response.json())
    for check in ("Database", "Cache", "Broker", "WorkerHeartbeat", "MigrationsApplied"):
        assert check in names
    assert names.count("Storage") == 3  # default, exports, packages
    assert "LedgerCheckpoint" not in names  # no app has declared its checkpoints yet


def test_a_stale_or_missing_worker_heartbeat_fails_the_check(client, settings):
    cache.delete(HEARTBEAT_KEY)
    assert health(client).status_code == 500
    cache.set(HEARTBEAT_KEY, time.time() - settings.HEALTH_WORKER_MAX_AGE - 5, timeout=None)
    body = health(client).json()
    assert [v for k, v in body.items() if "WorkerHeartbeat" in k][0].startswith("Unavailable")


def test_an_unreachable_broker_fails_the_check(client, settings):
    worker_heartbeat()
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    response = health(client)
    assert response.status_code == 500
    assert "127.0.0.1" not in response.content.decode()  # the answer names no host


def test_an_unapplied_migration_fails_the_check(client):
    from django.core.management import call_command

    worker_heartbeat()
    call_command("migrate", "audit_exports", "zero", verbosity=0)
    try:
        assert health(client).status_code == 500
    finally:
        call_command("migrate", verbosity=0)
    assert health(client).status_code == 200


def test_the_checkpoint_check_is_plugged_in_by_a_setting(client, settings):
    global LAST_CHECKPOINT
    worker_heartbeat()
    settings.HEALTH_CHECKPOINT_AGE = f"{__name__}.last_checkpoint"
    LAST_CHECKPOINT = timezone.now() - dt.timedelta(minutes=5)
    assert health(client).status_code == 200
    LAST_CHECKPOINT = timezone.now() - dt.timedelta(days=3)
    assert health(client).status_code == 500
