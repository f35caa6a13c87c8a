"""The rights' English catalogue is complete (the check of tests/accounts/test_catalogues.py)."""

from django.utils import translation
from django.utils.translation import gettext

from tests.accounts.test_catalogues import test_every_dutch_string_has_an_english_translation


def test_the_english_catalogue_is_complete():
    test_every_dutch_string_has_an_english_translation("subject_rights")


def test_the_catalogue_is_used_in_english():
    with translation.override("en"):
        assert gettext("Deze downloadlink is verlopen.") == "This download link has expired."
