"""URL × role → status for every page and action of the rights, and their admin."""

import pytest

from subject_rights.models import AccessPackage
from subject_rights.services import package_build
from subject_rights.tokens import package_token
from tests.conftest import ADMIN_LOOK, ADMIN_NEVER, MATRIX_ROLES, assert_status
from tests.subject_rights.conftest import verified

pytestmark = pytest.mark.django_db

LOGIN = 302
ACT = {"anonymous": LOGIN, "no_role": 403, "agent": 302, "privacy_officer": 302, "auditor": 403}
OFFICER_PAGE = {
    "anonymous": LOGIN,
    "no_role": 403,
    "agent": 403,
    "privacy_officer": 200,
    "auditor": 403,
}
OFFICER_ACT = {**OFFICER_PAGE, "privacy_officer": 302}
PUBLIC = dict.fromkeys(MATRIX_ROLES, 200)


@pytest.fixture
def requests(register):
    access = verified("access")
    package_build(request=access)
    return {
        "access": access,
        "rectification": verified("rectification"),
        "erasure": verified("erasure"),
        "restriction": verified("restriction"),
    }


def pages(requests):
    package = AccessPackage.objects.get()
    return {
        f"/desk/{requests['erasure'].reference}/rechten/wissen/": OFFICER_PAGE,
        f"/privacy/inzage/{package_token(package)}/": PUBLIC,
        "/admin/subject_rights/accesspackage/": ADMIN_LOOK,
        f"/admin/subject_rights/accesspackage/{package.pk}/change/": ADMIN_LOOK,
        "/admin/subject_rights/accesspackage/add/": ADMIN_NEVER,
    }


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_pages(client_as, requests, role):
    client = client_as(role)
    for url, expected in pages(requests).items():
        assert_status(client, url, expected[role])


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_actions(client_as, requests, role):
    client = client_as(role)
    ref = {kind: r.reference for kind, r in requests.items()}
    actions = [
        (f"/desk/{ref['access']}/rechten/pakket/", {}, ACT),
        (f"/desk/{ref['rectification']}/rechten/corrigeren/", {"phone": "010-1"}, ACT),
        (f"/desk/{ref['restriction']}/rechten/beperken/", {}, ACT),
        (f"/desk/{ref['restriction']}/rechten/beperking-opheffen/", {"reason": "x"}, OFFICER_ACT),
        (f"/desk/{ref['erasure']}/rechten/wissen/", {"confirm": "on"}, OFFICER_ACT),
    ]
    for url, data, expected in actions:
        assert_status(client, url, expected[role], method="post", data=data)


def test_erasure_without_confirmation_does_nothing(client_as, requests):
    response = client_as("privacy_officer").post(
        f"/desk/{requests['erasure'].reference}/rechten/wissen/", {}
    )
    assert response.status_code == 200
    assert "niet ongedaan" in response.content.decode()
    assert not requests["erasure"].events.filter(kind="erased").exists()


def test_the_officer_sees_the_erase_button_and_the_agent_does_not(client_as, requests):
    url = f"/desk/{requests['erasure'].reference}/"
    assert "Gegevens wissen…" in client_as("privacy_officer").get(url).content.decode()


def test_an_agent_sees_no_erase_button(client_as, requests):
    url = f"/desk/{requests['erasure'].reference}/"
    assert "Gegevens wissen…" not in client_as("agent").get(url).content.decode()


def test_the_request_page_shows_the_package(client_as, requests):
    page = client_as("agent").get(f"/desk/{requests['access'].reference}/").content.decode()
    assert "Inzagepakketten" in page and "0 van 3 downloads" in page
