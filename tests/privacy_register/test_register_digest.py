"""The register digest job (privacy_register/jobs.py): overdue reviews and processor agreements
to the privacy officers, once a day."""

import datetime as dt

import pytest

from privacy_register import jobs
from requests_desk.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_the_register_digest_goes_once_a_day(register, privacy_officer):
    assert jobs.register_digest_send(today=dt.date(2026, 11, 25)) == 1
    assert jobs.register_digest_send(today=dt.date(2026, 11, 25)) == 0
    message = OutboxMessage.objects.get(letter_kind="register_digest")
    assert "Geen verwerkersovereenkomst" in message.body
    assert jobs.register_digest_send(today=dt.date(2026, 11, 26)) == 1


def test_the_digest_carries_the_newest_signed_checkpoint_of_the_ledger(
    privacy_officer, django_capture_on_commit_callbacks
):
    """Even on a day without findings: the checkpoint, as the store outside the database holds
    it, lands in the officer's mailbox (signature included), where no database administrator
    reaches."""
    import json

    from consents.checkpoints import is_signed
    from consents.ledger_keys import public_keys
    from consents.services import consent_give, ledger_checkpoint
    from tests.factories import DataSubjectFactory, purpose_with_wording

    assert jobs.register_digest_send(today=dt.date(2026, 11, 25)) == 0  # nothing to tell
    consent_give(subject=DataSubjectFactory(), purpose=purpose_with_wording(), method="web_form")
    with django_capture_on_commit_callbacks(execute=True):
        checkpoint = ledger_checkpoint()
    assert jobs.register_digest_send(today=dt.date(2026, 11, 25)) == 1
    body = OutboxMessage.objects.get(letter_kind="register_digest").body
    carried = json.loads(body[body.index("{") :])
    assert carried == checkpoint.payload()
    assert is_signed(carried, public_keys())
