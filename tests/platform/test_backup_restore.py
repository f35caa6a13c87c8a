"""The documented backup and restore (ops/backup.sh, ops/restore.sh) on PostgreSQL: a dump of a
database with a ledger restores into a fresh database where the ledger verifies — and the
restored ledger still refuses an UPDATE."""

import subprocess
from pathlib import Path

import pytest
from django.db import connection

from consents.services import consent_give, consent_withdraw
from tests.consents.conftest import clear_ledger
from tests.factories import DataSubjectFactory, purpose_with_wording

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump is PostgreSQL's"),
]


def url(name: str) -> str:
    settings = connection.settings_dict
    user, host, port = settings["USER"], settings["HOST"], settings["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{name}"


@pytest.fixture
def restored_name():
    name = f"{connection.settings_dict['NAME']}_restored"
    drop = ["psql", url("postgres"), "-qc", f'DROP DATABASE IF EXISTS "{name}"']
    subprocess.run(drop, check=True)
    yield name
    subprocess.run(drop, check=True)
    clear_ledger()


def test_a_backup_restores_into_a_fresh_database_where_the_ledger_verifies(restored_name, tmp_path):
    purpose = purpose_with_wording()
    for subject in DataSubjectFactory.create_batch(3):
        consent_give(subject=subject, purpose=purpose, method="web_form")
        consent_withdraw(subject=subject, purpose=purpose, method="unsubscribe_link")
    source = url(connection.settings_dict["NAME"])

    dump = subprocess.run(
        [ROOT / "ops" / "backup.sh", tmp_path / "office.dump"],
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": source},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    restore = subprocess.run(
        [ROOT / "ops" / "restore.sh", dump, url(restored_name)],
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )

    assert restore.returncode == 0, restore.stderr
    assert "Ledger intact: 6 events verified." in restore.stdout
    update = subprocess.run(
        ["psql", url(restored_name), "-c", "UPDATE consents_consentevent SET reference = 'x'"],
        capture_output=True,
        text=True,
    )
    assert update.returncode != 0 and "append-only" in update.stderr.lower()


def test_a_restore_never_overwrites_an_existing_database(tmp_path):
    existing = url(connection.settings_dict["NAME"])
    restore = subprocess.run(
        [ROOT / "ops" / "restore.sh", tmp_path / "none.dump", existing],
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert restore.returncode != 0 and "already exists" in restore.stderr
