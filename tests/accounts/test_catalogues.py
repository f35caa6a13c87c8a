"""Every app's English catalogue is complete, and used when the language is English."""

import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("app", ["privacy_register", "consents", "requests_desk", "self_service"])
def test_every_dutch_string_has_an_english_translation(app):
    po = (ROOT / app / "locale/en/LC_MESSAGES/django.po").read_text()
    entries = po.split("\n\n")[1:]
    untranslated = [e for e in entries if re.search(r'^msgstr(\[\d\])? ""\Z', e, re.M)]
    assert not untranslated, untranslated[:3]
    assert "#, fuzzy" not in po
    assert (ROOT / app / "locale/en/LC_MESSAGES/django.mo").stat().st_size > 0


@pytest.mark.parametrize(
    ("dutch", "english"),
    [
        ("Volledigheid van het register", "Completeness of the register"),
        (
            "Het grootboek is alleen-toevoegen: een gebeurtenis wijzigt nooit.",
            "The ledger is append-only: an event never changes.",
        ),
        ("Ja, meld mij af", "Yes, unsubscribe me"),
    ],
)
def test_the_catalogues_are_used_in_english(dutch, english):
    with translation.override("en"):
        assert gettext(dutch) == english
    with translation.override("nl"):
        assert gettext(dutch) == dutch
