import hashlib
import hmac

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

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


def legacy_email_hash(spelling: str) -> str:
    """The keyed hash of an address as the code before `normalise_email` (issue 19) computed and
    stored it: of the spelling as it came in, only trimmed and lower-cased."""
    key = settings.CONSENT_HASH_KEY.encode()
    return hmac.new(key, spelling.strip().lower().encode(), hashlib.sha256).hexdigest()


def migrate(targets):
    """Migrate the test database to `targets` ((app, migration) pairs) and return the models as
    they are there — for a test of a migration, or of data from before one. A test that goes back
    calls `migrate_forward()` in its teardown too, so a failure leaves no test database behind on
    an old schema."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_forward():
    """Migrate the test database to the newest migration of every app."""
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
