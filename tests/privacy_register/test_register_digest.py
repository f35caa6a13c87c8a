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
