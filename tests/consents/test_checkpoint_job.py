"""The checkpoint job: signs the tree as it is, writes it outside the database, and is idempotent
while the tree has not grown; as a function and through a real Celery worker."""

import pytest

from consents import anchor
from consents.models import LedgerCheckpoint
from consents.selectors import ledger_verify
from consents.services import consent_give, ledger_checkpoint
from consents.tasks import ledger_checkpoint as ledger_checkpoint_task
from tests.consents.conftest import clear_ledger
from tests.platform.test_celery_worker import celery_config, celery_worker_parameters  # noqa: F401


@pytest.mark.django_db
def test_a_checkpoint_is_signed_and_written_outside_the_database_once(
    subject, purpose, django_capture_on_commit_callbacks
):
    consent_give(subject=subject, purpose=purpose, method="web_form")
    with django_capture_on_commit_callbacks(execute=True):
        first = ledger_checkpoint()
        again = ledger_checkpoint()
    assert first == again and LedgerCheckpoint.objects.count() == 1
    assert [c["tree_size"] for c in anchor.checkpoints_read()] == [1]
    assert anchor.newest_checkpoint() == first.payload()
    consent_give(subject=subject, purpose=purpose, method="phone")
    with django_capture_on_commit_callbacks(execute=True):
        assert ledger_checkpoint().tree_size == 2
    assert [c["tree_size"] for c in anchor.checkpoints_read()] == [1, 2]
    assert ledger_verify() == (2, None)


@pytest.mark.django_db(transaction=True)
def test_the_worker_writes_a_checkpoint(celery_app, celery_worker, subject, purpose):
    try:
        consent_give(subject=subject, purpose=purpose, method="web_form")
        celery_worker.reload()
        assert celery_app.send_task(ledger_checkpoint_task.name).get(timeout=30) == 1
        assert anchor.newest_checkpoint()["tree_size"] == 1
        assert ledger_verify() == (1, None)
    finally:
        clear_ledger()
