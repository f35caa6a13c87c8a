"""URL × role → status for every page and action of the breach register. Every member of staff
reports; the officer assesses, files and tells; the auditor reads (and changes nothing); an agent
sees only what they reported (another's breach is a 404 to them); a user without a role sees
nothing."""

import pytest

from breaches.models import Decision, NoticeLookup
from breaches.services import ap_file
from tests.conftest import ADMIN_LOOK, ADMIN_NEVER, MATRIX_ROLES, assert_status
from tests.factories import decide, report_breach

pytestmark = pytest.mark.django_db

LOGIN = 302
ALL = {"anonymous": LOGIN, "no_role": 403, "agent": 200, "privacy_officer": 200, "auditor": 200}
READ = {"anonymous": LOGIN, "no_role": 403, "agent": 403, "privacy_officer": 200, "auditor": 200}
OFFICER = {"anonymous": LOGIN, "no_role": 403, "agent": 403, "privacy_officer": 200, "auditor": 403}
# The agent reported the first breach and sees it; the second was reported by the officer.
REPORT = ALL
OWN = ALL
OTHERS = {**ALL, "agent": 404}
ACT = {"anonymous": LOGIN, "no_role": 403, "agent": 403, "privacy_officer": 302, "auditor": 403}


@pytest.fixture
def breaches(register, agent, privacy_officer, auditor, no_role):
    own = report_breach(by=agent)
    decide(own, decision=Decision.HIGH_RISK, by=privacy_officer)
    ap_file(breach=own, filed_at=own.reported_at, ap_reference="M-1", by=privacy_officer)
    others = report_breach(by=privacy_officer, title="Laptop gestolen")
    # A lookup of the people in the connected systems, as the officer's choice leaves it.
    NoticeLookup.objects.create(
        breach=own, subject="Datalek", body="Er was een lek.", by=privacy_officer
    )
    return own, others


def pages(own, others):
    return {
        "/desk/datalekken/": ALL,
        "/desk/datalekken/melden/": REPORT,
        "/desk/datalekken/register/": ALL,
        "/desk/datalekken/register/?year=2026&decision=risk": ALL,
        "/desk/datalekken/register/export.xlsx": READ,
        "/desk/datalekken/register/export.csv": READ,
        "/desk/datalekken/jaaroverzicht/": READ,
        f"/desk/datalekken/{own.reference}/": OWN,
        f"/desk/datalekken/{others.reference}/": OTHERS,
        f"/desk/datalekken/{own.reference}/beoordelen/": OFFICER,
        f"/desk/datalekken/{own.reference}/betrokkenen/": OFFICER,
        f"/desk/datalekken/{own.reference}/ap-melding.pdf": READ,
        f"/desk/datalekken/{own.reference}/ap-melding.json": READ,
        f"/desk/datalekken/{own.reference}/ap-melding.txt": READ,
        "/admin/breaches/breach/": ADMIN_LOOK,
        f"/admin/breaches/breach/{own.pk}/change/": ADMIN_LOOK,
        f"/admin/breaches/breach/{own.pk}/history/": ADMIN_LOOK,
        "/admin/breaches/breach/add/": ADMIN_NEVER,
        "/admin/breaches/assessment/": ADMIN_LOOK,
        "/admin/breaches/apfiling/": ADMIN_LOOK,
        "/admin/breaches/breachevent/": ADMIN_LOOK,
        "/admin/breaches/breachreminder/": ADMIN_LOOK,
        "/admin/breaches/peoplenotice/": ADMIN_LOOK,
        "/admin/breaches/noticelookup/": ADMIN_LOOK,
        f"/admin/breaches/noticelookup/{own.lookups.get().pk}/change/": ADMIN_LOOK,
        f"/admin/breaches/noticelookup/{own.lookups.get().pk}/history/": ADMIN_LOOK,
        "/admin/breaches/noticelookup/add/": ADMIN_NEVER,
    }


def actions(own):
    ref = own.reference
    return {
        f"/desk/datalekken/{ref}/ap-melding/": {
            "file-filed_at": "2026-01-01T10:00",
            "file-ap_reference": "X",
        },
        f"/desk/datalekken/{ref}/ap-melding/aanvulling/": {
            "follow-filed_at": "",
            "follow-text": "Meer.",
        },
        f"/desk/datalekken/{ref}/ap-melding/intrekken/": {"follow-filed_at": "", "follow-text": ""},
        f"/desk/datalekken/{ref}/betrokkenen/niet-nodig/": {"ground": "", "reason": ""},
        f"/desk/datalekken/{ref}/notitie/": {"text": "Gebeld met de ontvanger."},
        f"/desk/datalekken/{ref}/afsluiten/": {"note": ""},
    }


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_every_page_per_role(client_as, breaches, role):
    client = client_as(role)
    for url, row in pages(*breaches).items():
        assert_status(client, url, row[role])


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_every_action_per_role(client_as, breaches, role):
    client = client_as(role)
    for url, data in actions(breaches[0]).items():
        assert_status(client, url, ACT[role], method="post", data=data)


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_reporting_per_role(client_as, register, role, agent, privacy_officer, auditor, no_role):
    data = {
        "title": "USB-stick kwijt",
        "what_happened": "Op de trein verloren.",
        "aware_at": "2026-01-05T09:30",
        "how_found": "staff",
        "cause": "lost_device",
    }
    expected = {
        "anonymous": LOGIN,
        "no_role": 403,
        "agent": 302,
        "privacy_officer": 302,
        "auditor": 302,
    }
    assert_status(client_as(role), "/desk/datalekken/melden/", expected[role], "post", data)


def test_an_agent_lists_only_what_they_reported(client_as, breaches):
    own, others = breaches
    page = client_as("agent").get("/desk/datalekken/register/").content.decode()
    assert own.reference in page and others.reference not in page
    page = client_as("auditor").get("/desk/datalekken/register/").content.decode()
    assert own.reference in page and others.reference in page
