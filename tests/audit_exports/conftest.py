from pathlib import Path, PurePosixPath

import pytest
from django.conf import settings

from config.storage import exports as export_storage
from tests.factories import DataSubjectFactory

HISTORY = "consents.historicaldatasubject"


@pytest.fixture
def history(db, privacy_officer):
    """Three people: one created, one renamed by the privacy officer, one deleted (5 rows)."""
    kept = DataSubjectFactory(name="Joke Jansen", phone="0612345678")
    renamed = DataSubjectFactory(name="Piet Pieters")
    renamed._history_user = privacy_officer
    renamed.name, renamed.function = "Piet de Vries", "docent"
    renamed.save()
    DataSubjectFactory(name="Weg Gaat").delete()
    return kept, renamed


def fetched(job) -> Path:
    """The job's file, read back through the "exports" storage (a folder or the S3 server) into
    a local copy that the readers (openpyxl, csv, zipfile) can open."""
    copy = Path(settings.MEDIA_ROOT).parent / "fetched" / PurePosixPath(job.file).name
    copy.parent.mkdir(parents=True, exist_ok=True)
    with export_storage().open(job.file, "rb") as stored:
        copy.write_bytes(stored.read())
    return copy
