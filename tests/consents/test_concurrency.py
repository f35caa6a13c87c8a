"""Writers appending at the same moment never fork the chain (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from consents.models import ConsentEvent
from consents.selectors import ledger_verify
from consents.services import consent_give
from tests.consents.conftest import clear_ledger
from tests.factories import DataSubjectFactory, purpose_with_wording

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ledger_cleared_after():
    yield
    clear_ledger()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_concurrent_appends_keep_one_chain(ledger_cleared_after):
    purpose = purpose_with_wording()
    subjects = [DataSubjectFactory() for _ in range(8)]
    barrier, errors = threading.Barrier(len(subjects)), []

    def append(subject):
        try:
            barrier.wait()
            for _ in range(5):
                consent_give(subject=subject, purpose=purpose, method="web_form")
        except Exception as error:  # noqa: BLE001 — asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=(s,)) for s in subjects]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert ConsentEvent.objects.count() == 40
    assert ledger_verify() == (40, None)
