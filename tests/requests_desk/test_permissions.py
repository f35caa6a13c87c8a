"""URL × role → status for every desk page and action, and the desk's models in the admin."""

import pytest

from requests_desk.models import LetterTemplate, PostalLetter
from tests.conftest import ADMIN_LOOK, ADMIN_NEVER, MATRIX_ROLES, assert_status
from tests.factories import open_request

pytestmark = pytest.mark.django_db

LOGIN = 302
# Pages: agents and the privacy officer work here; auditors may look (read-only), users without
# a role may not.
READ = {"anonymous": LOGIN, "no_role": 403, "agent": 200, "privacy_officer": 200, "auditor": 200}
WORK = {"anonymous": LOGIN, "no_role": 403, "agent": 200, "privacy_officer": 200, "auditor": 403}
# Actions redirect back to the request's page when taken (even when the service refuses).
ACT = {"anonymous": LOGIN, "no_role": 403, "agent": 302, "privacy_officer": 302, "auditor": 403}


STAFF = ("agent", "privacy_officer", "auditor")


@pytest.fixture
def desk_request(register):
    return open_request()


def postal_letter(r) -> PostalLetter:
    """A letter in the "to post" queue (a post request's acknowledgement)."""
    letter = PostalLetter.objects.filter(request__requester_email="").first()
    if letter is None:
        post = open_request(channel="post", requester_email="", requester_address="Dorpsstraat 1")
        letter = post.postal_letters.get()
    return letter


def pages(r):
    ref = r.reference
    return {
        "/desk/": READ,
        "/desk/?tab=overdue": READ,
        "/desk/nieuw/": WORK,
        "/desk/zoeken/?q=joke": READ,
        "/desk/overzicht/": READ,
        f"/desk/{ref}/": READ,
        f"/desk/{ref}/brief/acknowledgement/": READ,
        f"/desk/{ref}/brief/free_text/?tekst=Hallo": READ,
        # A decision letter is never previewed on its own: back to the request, with a message.
        f"/desk/{ref}/brief/extension/": {**READ, **dict.fromkeys(STAFF, 302)},
        f"/desk/{ref}/brieven/{r.outbox.get().pk}/pdf/": READ,
        "/desk/post/": READ,
        f"/desk/post/{postal_letter(r).pk}/pdf/": READ,
        "/admin/requests_desk/datasubjectrequest/": ADMIN_LOOK,
        f"/admin/requests_desk/datasubjectrequest/{r.pk}/change/": ADMIN_LOOK,
        f"/admin/requests_desk/datasubjectrequest/{r.pk}/history/": ADMIN_LOOK,
        "/admin/requests_desk/datasubjectrequest/add/": ADMIN_NEVER,
        "/admin/requests_desk/lettertemplate/": ADMIN_LOOK,
        f"/admin/requests_desk/lettertemplate/{LetterTemplate.objects.first().pk}/change/": (
            ADMIN_LOOK
        ),
        "/admin/requests_desk/outboxmessage/": ADMIN_LOOK,
        "/admin/requests_desk/requestevent/": ADMIN_LOOK,
        "/admin/requests_desk/requestevent/add/": ADMIN_NEVER,
    }


def actions(r):
    ref = r.reference
    task = r.tasks.first().pk
    return {
        f"/desk/{ref}/toewijzen/": {"to": "me"},
        f"/desk/{ref}/identiteit/": {"method": "email"},
        f"/desk/{ref}/notitie/": {"text": "Gebeld."},
        f"/desk/{ref}/taken/{task}/": {},
        f"/desk/{ref}/taken/": {"tasks": [task]},
        f"/desk/{ref}/taken/{task}/resultaat/": {"result_kind": "nothing_found"},
        f"/desk/{ref}/actie/": {"action": "await_requester"},
        f"/desk/{ref}/afronden/": {"outcome": "Klaar."},
        f"/desk/{ref}/afwijzen/": {"reasons": "Ongegrond."},
        f"/desk/{ref}/verlengen/": {"reason": "Complex.", "months": "2"},
        f"/desk/{ref}/brief/identity_check/versturen/": {},
        f"/desk/{ref}/brief/free_text/versturen/": {"tekst": "Wij bellen u morgen."},
        f"/desk/{ref}/brief/completion/versturen/": {},
        f"/desk/post/{postal_letter(r).pk}/verstuurd/": {},
    }


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_desk_pages(client_as, desk_request, role):
    client = client_as(role)
    for url, expected in pages(desk_request).items():
        assert_status(client, url, expected[role])


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_desk_actions(client_as, desk_request, role):
    client = client_as(role)
    for url, data in actions(desk_request).items():
        assert_status(client, url, ACT[role], method="post", data=data)


# The privacy officer's decisions: answering before every system has answered, and deciding a
# general objection. Others get 403; the officer is sent back to the request's page.
OFFICER_ACT = {
    "anonymous": LOGIN,
    "no_role": 403,
    "agent": 403,
    "privacy_officer": 302,
    "auditor": 403,
}


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_officer_actions(client_as, register, role):
    access = open_request()
    objection = open_request(kind="objection")
    client = client_as(role)
    for url, data in {
        f"/desk/{access.reference}/eerder-antwoorden/": {
            "reason": "Het CRM is in onderhoud.",
            "still_coming_on": "2099-01-01",
        },
        f"/desk/{objection.reference}/bezwaar/": {
            "decision": "upheld",
            "balancing": "Geen dwingende gronden.",
        },
    }.items():
        assert_status(client, url, OFFICER_ACT[role], method="post", data=data)
        assert_status(client, url, 405 if role == "privacy_officer" else OFFICER_ACT[role])


@pytest.mark.parametrize("role", ["agent", "privacy_officer"])
def test_actions_refuse_get(client_as, desk_request, role):
    assert_status(client_as(role), f"/desk/{desk_request.reference}/afronden/", 405)


def test_an_auditor_changes_nothing_in_the_admin(client_as, desk_request):
    client = client_as("auditor")
    url = f"/admin/requests_desk/lettertemplate/{LetterTemplate.objects.first().pk}/change/"
    response = client.post(url, {"subject": "Gehackt", "body": "x"})
    assert response.status_code == 403
