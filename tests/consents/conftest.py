import pytest
from django.db import connection

from consents import triggers
from consents.models import ConsentState, LedgerHead
from tests.factories import DataSubjectFactory, purpose_with_wording


@pytest.fixture
def subject(db):
    return DataSubjectFactory(email="joke@school.example")


@pytest.fixture
def purpose(db):
    return purpose_with_wording()


@pytest.fixture
def tampering(db):
    """Drop the ledger's triggers for a test that tampers on purpose; they come back after."""
    triggers.drop(connection)
    yield connection
    triggers.create(connection)


def clear_ledger() -> None:
    """Empty the ledger behind a transactional test, so that the flush that follows (a DELETE per
    row on SQLite) does not run into the triggers."""
    triggers.drop(connection)
    ConsentState.objects.all().delete()
    LedgerHead.objects.all().delete()
    with connection.cursor() as cursor:
        for table in triggers.TABLES:
            cursor.execute(f"DELETE FROM {table}")
    triggers.create(connection)
