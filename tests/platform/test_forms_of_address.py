"""One form of address per audience (docs/letters.md): "je" on the public pages (as the privacy
statement does) and in the mails of their forms, "u" in the letters. The scan reads the text a
person sees — template text, translated strings, the shipped letters — not template tags, HTML
tags or variables, and matches whole words only (so "uur", "jeugd" or "<u>" do not count)."""

import re
from pathlib import Path

import pytest

from requests_desk.default_letters import LETTERS, REMEDIES, SIGNATURE

ROOT = Path(__file__).resolve().parents[2]
INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jullie|jezelf)\b", re.IGNORECASE)
FORMAL = re.compile(r"\b(u|uw|uzelf)\b", re.IGNORECASE)

# Letters to data subjects: the desk's letters (LetterTemplate starts from these), the notice to
# the people a breach concerns, and the summary in the access package.
LETTER_TEMPLATES = [
    ROOT / "breaches/templates/breaches/notice.txt",
    ROOT / "subject_rights/templates/subject_rights/samenvatting.txt",
]
# Pages for data subjects: every template on the public base, what they include, and the mails
# of the public forms (a confirmation link, the preference link), written as the pages are.
PUBLIC_INCLUDES = [
    ROOT / "templates/public_base.html",
    ROOT / "privacy_register/templates/privacy_register/statement_content.html",
]
PUBLIC_MAILS = sorted((ROOT / "self_service/templates/self_service/email").glob("*.txt"))
PUBLIC_SOURCES = [ROOT / "self_service/forms.py", ROOT / "self_service/views.py"]


def public_templates() -> list[Path]:
    pages = [
        path
        for path in sorted(ROOT.glob("*/templates/**/*.html"))
        if '{% extends "public_base.html" %}' in path.read_text()
    ]
    return pages + PUBLIC_INCLUDES + PUBLIC_MAILS


def visible_text(template: str) -> str:
    """The words of a template a reader sees: translated strings kept, tags and variables out."""
    translated = r"\{%\s*(?:translate|trans)\s+([\"'])(.*?)\1.*?%\}"
    text = re.sub(translated, r" \2 ", template, flags=re.S)
    text = re.sub(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", " ", text, flags=re.S)
    return re.sub(r"<[^>]+>", " ", text)


def gettext_strings(source: str) -> str:
    return " ".join(re.findall(r"_\(\s*((?:\"[^\"]*\"\s*)+)", source))


def test_the_scan_finds_a_form_of_address_and_not_a_word_that_contains_one():
    assert INFORMAL.search(visible_text("{% translate 'Vul je naam in.' %}"))
    assert FORMAL.search(visible_text("<p>Wilt u uw kenmerk vermelden?</p>"))
    assert not FORMAL.search(visible_text('<u>binnen 72 uur</u> {{ u }} {% url "x" %}'))
    assert not INFORMAL.search(visible_text("jeugd, projecten, {{ je }}"))


@pytest.mark.parametrize("kind", sorted(LETTERS))
def test_the_desks_letters_say_u(kind):
    subject, body = LETTERS[kind]
    text = visible_text(f"{subject}\n{body}\n{REMEDIES}\n{SIGNATURE}")
    assert not INFORMAL.findall(text), kind
    assert FORMAL.search(text), f"{kind}: no form of address at all?"


@pytest.mark.parametrize("path", LETTER_TEMPLATES, ids=lambda p: p.name)
def test_the_other_letters_say_u(path):
    text = visible_text(path.read_text())
    assert not INFORMAL.findall(text)
    assert FORMAL.search(text)


@pytest.mark.parametrize("path", public_templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_public_pages_say_je(path):
    assert not FORMAL.findall(visible_text(path.read_text()))


@pytest.mark.parametrize("path", PUBLIC_SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_public_forms_messages_say_je(path):
    assert not FORMAL.findall(gettext_strings(path.read_text()))
