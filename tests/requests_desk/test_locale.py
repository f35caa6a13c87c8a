"""The desk's English catalogue: complete, compiled, and used when the language is English."""

import re
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext

from requests_desk.models import Status

CATALOGUE = Path(__file__).resolve().parents[2] / "requests_desk/locale/en/LC_MESSAGES"


def test_every_dutch_string_of_the_desk_has_an_english_translation():
    entries = CATALOGUE.joinpath("django.po").read_text().split("\n\n")[1:]
    untranslated = [e for e in entries if re.search(r'^msgstr(\[\d\])? ""\Z', e, re.M)]
    assert not untranslated
    assert "#, fuzzy" not in CATALOGUE.joinpath("django.po").read_text()


def test_the_compiled_catalogue_is_used_in_english():
    assert CATALOGUE.joinpath("django.mo").stat().st_size > 0
    with translation.override("en"):
        assert gettext("Verzoekenbalie") == "Request desk"
        assert str(Status.AWAITING_REQUESTER.label) == "Awaiting requester"
    with translation.override("nl"):
        assert str(Status.AWAITING_REQUESTER.label) == "Wacht op verzoeker"
