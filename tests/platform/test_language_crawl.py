"""Every page of the permission matrices, in Dutch and in English: each URL is fetched as every
role that gets 200 (the rows of the apps' own test_permissions.py and of the admin matrix, not a
copy of them), with the UI language set by cookie and Accept-Language. The page says it is in
that language (<html lang>), and its visible text shows no raw value: no "None", no "[]", no
template placeholder ("{{", "}}", "{%", "%(") that a gettext or a display left unfilled."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from privacy_register.models import ProcessingActivity
from privacy_register.services import statement_publish
from tests.accounts import test_admin_matrix, test_permission_matrix
from tests.accounts.test_admin_matrix import office  # noqa: F401  (a fixture)
from tests.audit_exports import test_permissions as audit_exports_matrix
from tests.audit_exports.conftest import history  # noqa: F401  (a fixture)
from tests.audit_exports.test_permissions import own_job  # noqa: F401  (a fixture)
from tests.breaches import test_permissions as breaches_matrix
from tests.breaches.test_permissions import breaches  # noqa: F401  (a fixture)
from tests.conftest import MATRIX_ROLES
from tests.connectors import test_permissions as connectors_matrix
from tests.privacy_register import test_permissions as register_matrix
from tests.requests_desk import test_permissions as desk_matrix
from tests.requests_desk.test_permissions import desk_request  # noqa: F401  (a fixture)
from tests.self_service import test_permissions as self_service_matrix
from tests.subject_rights import test_permissions as rights_matrix
from tests.subject_rights.test_permissions import requests  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db

# A raw value ("None" as a value, not the word of a sentence such as the admin's "None available")
# and an unfilled placeholder, as a person would read them on the page.
RAW_VALUE = re.compile(r"\bNone\b(?! [a-z])|\[\]")
PLACEHOLDER = re.compile(r"\{\{|\}\}|\{%|%\(")
# The letter templates' pages show template text on purpose: the officer edits "{{ kenmerk }}".
TEMPLATE_SOURCE = "/admin/requests_desk/lettertemplate/"
LANG = re.compile(r"<html[^>]*\blang=\"([^\"]*)\"")


def _accounts(request, role):
    return test_permission_matrix.MATRIX


def _admin(request, role):
    request.getfixturevalue("office")
    matrix, missing = test_admin_matrix.pages()
    assert not missing, missing
    return matrix


def _register(request, role):
    request.getfixturevalue("register")
    return register_matrix.urls(ProcessingActivity.objects.first(), statement_publish(by=None))


def _desk(request, role):
    return desk_matrix.pages(request.getfixturevalue("desk_request"))


def _breaches(request, role):
    return breaches_matrix.pages(*request.getfixturevalue("breaches"))


def _connectors(request, role):
    from connectors.models import Connector

    request.getfixturevalue("office")  # the demo office has a connector per system it reaches
    return connectors_matrix.pages(Connector.objects.first())


def _audit_exports(request, role):
    # An export job is only its owner's: each role fetches its own.
    return audit_exports_matrix.pages(request.getfixturevalue("own_job")(role))


def _self_service(request, role):
    return self_service_matrix.MATRIX


def _rights(request, role):
    return rights_matrix.pages(request.getfixturevalue("requests"))


AREAS = {
    "accounts": _accounts,
    "admin": _admin,
    "privacy_register": _register,
    "requests_desk": _desk,
    "breaches": _breaches,
    "connectors": _connectors,
    "audit_exports": _audit_exports,
    "self_service": _self_service,
    "subject_rights": _rights,
}


class VisibleText(HTMLParser):
    """The text a person reads on the page: text nodes outside <script> and <style>, and the
    texts the browser shows for an element (a button's value, a placeholder, a title)."""

    SHOWN_ATTRIBUTES = ("placeholder", "title", "alt", "aria-label")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        for name, value in attrs:
            shown = name in self.SHOWN_ATTRIBUTES or (
                name == "value" and dict(attrs).get("type") in ("submit", "button")
            )
            if shown and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.parts


def problems(html: str, language: str, *, placeholders: bool = True) -> list[str]:
    found = []
    raw = re.compile(f"{RAW_VALUE.pattern}|{PLACEHOLDER.pattern}") if placeholders else RAW_VALUE
    match = LANG.search(html)
    if match is None or match.group(1) != language:
        found.append(f"<html lang> is {match and match.group(1)!r}, not {language!r}")
    for text in visible_text(html):
        for match in raw.finditer(text):
            start = max(match.start() - 40, 0)
            found.append(f"{match.group()!r} in {text[start : match.end() + 40]!r}")
    return found


def client_for(request, role: str, language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies["django_language"] = language
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("area", AREAS)
def test_every_page_of_the_matrix_is_in_the_ui_language_and_shows_no_raw_value(
    request, area, language
):
    wrong, fetched = [], 0
    for role in MATRIX_ROLES:
        matrix = AREAS[area](request, role)
        client = client_for(request, role, language)
        for url, row in matrix.items():
            if row.get(role) != 200:
                continue
            response = client.get(url)
            assert response.status_code == 200, f"{role} GET {url}: {response.status_code}"
            if not response.get("Content-Type", "").startswith("text/html"):
                continue  # a spreadsheet, a PDF, a JSON document: no page to read
            fetched += 1
            body = response.content.decode()
            found = problems(body, language, placeholders=not url.startswith(TEMPLATE_SOURCE))
            wrong += [f"{role} {url}: {problem}" for problem in found]
    assert fetched, f"no HTML page of {area} was fetched"
    assert not wrong, "\n".join(wrong)


def test_the_check_sees_a_raw_value_and_a_wrong_language():
    page = '<html lang="en"><p>Ontvangen: None</p><input placeholder="{{ x }}"><p>[]</p></html>'
    found = problems(page, "nl")
    assert len(found) == 5, found  # the language, None, "{{" and "}}", []
    clean = '<html lang="nl"><script>if (x === None) {}</script><p>Ontvangen: 1 mei</p></html>'
    assert problems(clean, "nl") == []
    template = '<html lang="nl"><textarea>Uw verzoek {{ kenmerk }}</textarea><p>None</p></html>'
    assert problems(template, "nl", placeholders=False) == ["'None' in 'None'"]
