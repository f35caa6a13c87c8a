"""The rights' job that lifts an announced restriction on its day (Art. 18(3)), through a real
Celery worker over the configured broker: it lifts once, a second run finds nothing."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from consents.models import DataSubject
from consents.services import subject_get_or_create
from requests_desk.services import request_verify_identity
from subject_rights.models import RestrictionLift
from subject_rights.services import restriction_apply, restriction_lift_announce
from subject_rights.tasks import lift_due_restrictions
from tests.factories import open_request
from tests.platform.test_celery_worker import celery_config, celery_worker_parameters  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_worker_lifts_an_announced_restriction_once_its_day_has_come(
    celery_app, celery_worker, monkeypatch, privacy_officer
):
    call_command("load_rezulto_register", verbosity=0)
    monkeypatch.setattr("requests_desk.outbox.send_soon", lambda message_id: None)
    subject_get_or_create(email="beperkt@school.example", name="Bea Perkt")
    request = open_request(kind="restriction", requester_email="beperkt@school.example")
    request = request_verify_identity(request=request, method="email", by=privacy_officer)
    restriction_apply(request=request, by=privacy_officer)
    ten_days_ago = timezone.now() - dt.timedelta(days=10)
    with time_machine.travel(ten_days_ago):
        lift = restriction_lift_announce(request=request, by=privacy_officer, reason="Onjuist.")
    assert lift.lift_on <= timezone.localdate()
    celery_worker.reload()
    assert celery_app.send_task(lift_due_restrictions.name).get(timeout=30) == 1
    assert celery_app.send_task(lift_due_restrictions.name).get(timeout=30) == 0
    assert not DataSubject.objects.get(email="beperkt@school.example").is_restricted
    assert RestrictionLift.objects.get().lifted_at is not None
