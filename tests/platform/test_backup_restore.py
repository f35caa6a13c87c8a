"""The documented backup and restore (ops/backup.sh, ops/restore.sh) on PostgreSQL: a dump of a
database with a ledger restores into a fresh database where the ledger verifies — and the
restored ledger still refuses an UPDATE; a dump from before a migration is migrated before the
erasures made since are replayed."""

import subprocess
from pathlib import Path

import pytest
from django.db import connection

from consents.services import consent_give, consent_withdraw
from tests.consents.conftest import clear_ledger, migrate, migrate_forward
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
    migrate_forward()  # if a test stopped on an older schema
    clear_ledger()


def backup(tmp_path) -> str:
    """ops/backup.sh of the test database; the dump's path."""
    return subprocess.run(
        [ROOT / "ops" / "backup.sh", tmp_path / "office.dump"],
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": url(connection.settings_dict["NAME"])},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def erase(subject) -> None:
    """The erasure as the desk carries it out: every source of personal data."""
    from subject_rights.sources import Person, sources

    for one in sources():
        one.erase(Person(email=subject.email, subject=subject), by=None, reason="AVG-2026-00001")


def ledger_env(settings) -> dict:
    """The keys and the store outside the database, as the restoring machine has them."""
    return {
        "CONSENT_LEDGER_KEY": settings.CONSENT_LEDGER_KEY,
        "CONSENT_CHECKPOINT_KEY": settings.CONSENT_CHECKPOINT_KEY,
        "LEDGER_STORE_ROOT": str(settings.STORAGES["ledger"]["OPTIONS"]["location"]),
    }


def restore_into(name: str, dump: str, settings) -> subprocess.CompletedProcess:
    """ops/restore.sh of `dump` into the new database `name`, with the ledger's keys and store."""
    return subprocess.run(
        [ROOT / "ops" / "restore.sh", dump, url(name)],
        env={"PATH": "/usr/bin:/bin", **ledger_env(settings)},
        capture_output=True,
        text=True,
    )


def test_a_backup_restores_into_a_fresh_database_where_the_ledger_verifies(
    restored_name, tmp_path, settings
):
    purpose = purpose_with_wording()
    for subject in DataSubjectFactory.create_batch(3):
        consent_give(subject=subject, purpose=purpose, method="web_form")
        consent_withdraw(subject=subject, purpose=purpose, method="unsubscribe_link")

    dump = backup(tmp_path)
    restore = restore_into(restored_name, dump, settings)

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


def test_an_erasure_after_the_backup_is_replayed_by_the_restore(restored_name, tmp_path, settings):
    purpose = purpose_with_wording()
    kept, erased = (
        DataSubjectFactory(email="blijft@school.example"),
        DataSubjectFactory(email="weg@school.example", name="Wil Weg"),
    )
    for subject in (kept, erased):
        consent_give(subject=subject, purpose=purpose, method="web_form")
    dump = backup(tmp_path)
    erase(erased)  # after the backup was taken

    restore = restore_into(restored_name, dump, settings)

    assert restore.returncode == 0, restore.stderr
    assert "Erasures replayed: 1." in restore.stdout
    rows = subprocess.run(
        ["psql", url(restored_name), "-tAc", "SELECT email, name FROM consents_datasubject"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "blijft@school.example" in rows
    assert "weg@school.example" not in rows and "Wil Weg" not in rows


def test_a_backup_from_before_a_migration_is_migrated_before_the_erasures_are_replayed(
    restored_name, tmp_path, settings
):
    """The replay is today's code: on a dump with the schema of before the last release it
    would write a column that is not there yet (the phone number in E.164, consents 0009)."""
    purpose = purpose_with_wording()
    kept = DataSubjectFactory(email="blijft@school.example")
    erased = DataSubjectFactory(email="weg@school.example", name="Wil Weg", phone="0612345678")
    for subject in (kept, erased):
        consent_give(subject=subject, purpose=purpose, method="web_form")
    migrate([("consents", "0008_merge_20261202_0250")])  # the release before the phone column
    dump = backup(tmp_path)
    migrate_forward()
    erase(erased)  # after the backup, by this release

    restore = restore_into(restored_name, dump, settings)

    assert restore.returncode == 0, restore.stderr
    assert "Erasures replayed: 1." in restore.stdout
    assert "Ledger intact: 2 events verified." in restore.stdout
    rows = subprocess.run(
        ["psql", url(restored_name), "-tAc", "SELECT email, name, phone FROM consents_datasubject"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "blijft@school.example" in rows
    assert "weg@school.example" not in rows and "Wil Weg" not in rows and "0612" not in rows
    applied = subprocess.run(
        ["psql", url(restored_name), "-tAc", "SELECT name FROM django_migrations"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert "0009_subject_phone_e164" in applied
