"""Unconfirmed submissions are removed once their link has expired (service, task, beat)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from self_service.models import PendingSubmission
from self_service.services import pending_submissions_remove_expired
from self_service.tasks import remove_expired_pending_submissions
from tests.factories import PendingSubmissionFactory

pytestmark = pytest.mark.django_db


def test_expired_submissions_are_removed_and_live_ones_kept():
    now = timezone.now()
    expired = PendingSubmissionFactory.create_batch(3, expires_at=now - timedelta(minutes=1))
    live = PendingSubmissionFactory(expires_at=now + timedelta(minutes=1))

    assert pending_submissions_remove_expired(now=now) == len(expired)
    assert list(PendingSubmission.objects.all()) == [live]


def test_removing_twice_is_harmless():
    PendingSubmissionFactory(expires_at=timezone.now() - timedelta(hours=1))
    assert pending_submissions_remove_expired() == 1
    assert pending_submissions_remove_expired() == 0


def test_the_task_runs_the_service():
    PendingSubmissionFactory(expires_at=timezone.now() - timedelta(hours=1))
    assert remove_expired_pending_submissions() == 1
    assert not PendingSubmission.objects.exists()


def test_beat_runs_the_cleanup_every_hour():
    entry = settings.CELERY_BEAT_SCHEDULE["self-service-remove-expired-submissions"]
    assert entry["task"] == "self_service.tasks.remove_expired_pending_submissions"
    assert entry["schedule"] <= 3600
