import pytest

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
