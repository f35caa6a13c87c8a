"""`load_demo`, then every demo subject erased through the service — each through an erasure
request of their own (the demo's own erasure requests included, the extended one too): nothing of
any of them is left in any table or storage folder."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from consents.models import DataSubject
from requests_desk.models import OPEN_STATUSES, DataSubjectRequest, RequestKind
from requests_desk.outbox import outbox_sweep
from requests_desk.services import answer_override, request_open, request_verify_identity
from subject_rights.services import erasure_carry_out
from tests.subject_rights.traces import find_everywhere, find_in_folders

pytestmark = pytest.mark.django_db


def _erasure_request(subject) -> DataSubjectRequest:
    """The subject's open erasure request, or a new one, its identity checked."""
    request = DataSubjectRequest.objects.filter(
        subject=subject, kind=RequestKind.ERASURE, status__in=OPEN_STATUSES
    ).first() or request_open(
        kind=RequestKind.ERASURE,
        channel="email",
        requester_name=subject.name,
        requester_email=subject.email,
        received_at=timezone.now(),
    )
    if not request.identity_verified:
        request = request_verify_identity(request=request, method="email", by=None)
    return request


def test_erasing_every_demo_subject_leaves_nothing_of_any_of_them(
    privacy_officer, django_capture_on_commit_callbacks, no_broker
):
    """No worker here: with the broker down every hand-over (the webshop's erasure run, the
    finish, the letters) is carried out in this process, as the services do on a machine whose
    broker is unreachable, and the sweep sends what waits."""
    call_command("load_demo", stdout=None)
    subjects = list(DataSubject.objects.exclude(email=None).order_by("pk"))
    assert len(subjects) > 300
    needles = sorted(
        {
            value
            for s in subjects
            for value in (s.email, s.name, s.phone)
            if value and len(value) > 4
        }
    )
    assert find_everywhere(*needles)
    for subject in subjects:
        request = _erasure_request(subject)
        if request.tasks.filter(done_at__isnull=True).exists():
            # The systems outside this application answer later; the letter says by when.
            answer_override(
                request=request,
                reason="Demo: de andere systemen volgen",
                still_coming_on=timezone.localdate(),
                by=None,
            )
        with django_capture_on_commit_callbacks(execute=True):
            erasure_carry_out(request=request, by=privacy_officer)
    outbox_sweep()
    assert DataSubject.objects.exclude(erased_at__isnull=False).count() == 0
    assert find_everywhere(*needles) == []
    assert find_in_folders(*needles) == []
