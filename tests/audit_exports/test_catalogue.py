"""The export screens speak English too: the app's catalogue is complete."""

from django.utils import translation
from django.utils.translation import gettext

from tests.accounts.test_catalogues import (
    test_every_dutch_string_has_an_english_translation as catalogue_is_complete,
)


def test_the_catalogue_is_complete():
    catalogue_is_complete("audit_exports")


def test_the_columns_read_in_english():
    with translation.override("en"):
        assert gettext("Gewijzigde velden") == "Changed fields"
