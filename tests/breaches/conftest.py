import pytest
from django.core.management import call_command


@pytest.fixture
def register(db):
    call_command("load_rezulto_register", verbosity=0)
