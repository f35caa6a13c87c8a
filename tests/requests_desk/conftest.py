import pytest
from django.core.management import call_command


@pytest.fixture
def register(db):
    """The Rezulto register, from which the desk builds its checklists."""
    call_command("load_rezulto_register", verbosity=0)
