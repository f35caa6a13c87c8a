"""A task through a real Celery worker, over the broker the settings configure (the filesystem
transport by default, Redis in CI), so that the broker wiring is tested for real."""

import uuid

import pytest
from django.conf import settings


@pytest.fixture(scope="module")
def celery_config():
    return {
        "broker_url": settings.CELERY_BROKER_URL,
        "broker_transport_options": settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        "result_backend": "cache+memory://",
        # A queue of its own, so parallel test runs on one broker never take each other's tasks.
        "task_default_queue": f"test-{uuid.uuid4().hex}",
        "timezone": settings.CELERY_TIMEZONE,
    }


@pytest.fixture(scope="module")
def celery_worker_parameters():
    return {"perform_ping_check": False, "shutdown_timeout": 30.0}


def test_a_task_runs_on_a_real_worker_over_the_configured_broker(celery_app, celery_worker):
    @celery_app.task(name="tests.add")
    def add(x, y):
        return x + y

    celery_worker.reload()
    assert add.delay(2, 40).get(timeout=30) == 42
