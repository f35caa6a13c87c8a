"""A person with data in every source: the subject with history, consent events, requests with
letters, timelines and history rows, an unconfirmed web-form request and an access package."""

import pytest

from consents.services import consent_give, consent_withdraw, subject_get_or_create
from requests_desk.outbox import outbox_sweep
from requests_desk.services import request_note, request_verify_identity, task_complete
from subject_rights.services import package_build
from tests.factories import PendingSubmissionFactory, open_request, purpose_with_wording

EMAIL = "wilhelmina.zonneveld@school.example"
NAME = "Wilhelmina Zonneveld-Tromp"
PHONE = "+31 6 4455 6677"


def verified(kind, *, answered=True, **overrides):
    """Her request, identity checked; `answered`: every system of its checklist has answered."""
    values = {"requester_name": NAME, "requester_email": EMAIL, "requester_phone": PHONE}
    request = open_request(kind=kind, **{**values, **overrides})
    request = request_verify_identity(request=request, method="email", by=None)
    if answered:
        tick_all(request)
    return request


def tick_all(request):
    """Every system of the checklist has answered (ticked by hand)."""
    for task in request.tasks.filter(done_at__isnull=True):
        task_complete(task=task, by=None)


@pytest.fixture
def person(register, privacy_officer):
    """Wilhelmina, everywhere: returns her open erasure request."""
    subject = subject_get_or_create(
        email=EMAIL, name=NAME, phone=PHONE, organisation="OBS De Linde", function="Directeur"
    )
    newsletter = purpose_with_wording()
    consent_give(subject=subject, purpose=newsletter, method="web_form")
    consent_withdraw(subject=subject, purpose=newsletter, method="unsubscribe_link")
    consent_give(subject=subject, purpose=newsletter, method="preference_centre")
    access = verified("access", description=f"Inzage graag naar {EMAIL}, bel {PHONE}")
    request_note(request=access, text=f"{NAME} belde vanaf {PHONE}.", by=privacy_officer)
    package_build(request=access)
    outbox_sweep()  # letters sent, some still in the outbox as sent rows
    PendingSubmissionFactory(name=NAME, email=EMAIL, details=f"Ik ben {NAME}")
    return verified("erasure", description=f"Wis alles van {NAME}")
