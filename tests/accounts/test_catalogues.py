"""Every app's English catalogue is complete, and used when the language is English."""

import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext

ROOT = Path(__file__).resolve().parents[2]


# The project's own catalogue and every app's: a new app with a locale/ folder is checked too.
CATALOGUES = sorted(
    str(path.relative_to(ROOT)) for path in [ROOT / "locale", *ROOT.glob("*/locale")]
)


@pytest.mark.parametrize("locale", CATALOGUES)
def test_every_dutch_string_has_an_english_translation(locale):
    po = (ROOT / locale / "en/LC_MESSAGES/django.po").read_text()
    entries = po.split("\n\n")[1:]
    untranslated = [e for e in entries if re.search(r'^msgstr(\[\d\])? ""\Z', e, re.M)]
    assert not untranslated, untranslated[:3]
    assert "#, fuzzy" not in po
    assert (ROOT / locale / "en/LC_MESSAGES/django.mo").stat().st_size > 0


@pytest.mark.parametrize(
    ("dutch", "english"),
    [
        ("Volledigheid van het register", "Completeness of the register"),
        (
            "Het grootboek is alleen-toevoegen: een gebeurtenis wijzigt nooit.",
            "The ledger is append-only: an event never changes.",
        ),
        ("Ja, meld mij af", "Yes, unsubscribe me"),
        ("Gewijzigde velden", "Changed fields"),
        ("Deze downloadlink is verlopen.", "This download link has expired."),
    ],
)
def test_the_catalogues_are_used_in_english(dutch, english):
    with translation.override("en"):
        assert gettext(dutch) == english
    with translation.override("nl"):
        assert gettext(dutch) == dutch
