import pytest
from django.core.management import call_command

# The connectors' real webshop databases, for the notice to everyone in a breached system.
from tests.connectors.conftest import (  # noqa: F401
    shop,
    sqlite_shop,
    webshop_connector,
    webshop_url,
)


@pytest.fixture
def register(db):
    call_command("load_rezulto_register", verbosity=0)
