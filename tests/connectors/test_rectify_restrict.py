"""Rectification (Art. 16) and restriction (Art. 18) carried to a connected system by the rights'
services: on a SQL webshop on SQLite, PostgreSQL and MariaDB (each created and dropped by the
test), and on a system behind our HTTP contract (a real server started by the test). Only the
person's row changes; each is recorded as the request's run; a system that refuses becomes a task
for a person with the error."""

import pytest
import sqlalchemy as sa

from connectors.models import Connector, ConnectorRun, Kind, Operation, RunStatus
from consents.services import subject_get_or_create
from privacy_register.models import System
from requests_desk.models import EventKind, RequestTask
from subject_rights import services as rights
from tests.connectors.conftest import ANNA, LOOKALIKES
from tests.connectors.test_http import KEY, server  # noqa: F401 — the HTTP system's fixture
from tests.connectors.test_rights import anna

pytestmark = pytest.mark.django_db


def customers(engine) -> dict[str, dict]:
    """Every customer's row by e-mail address."""
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT * FROM customers")).mappings()
        return {row["email"]: dict(row) for row in rows}


def _without(rows: dict[str, dict], email: str) -> dict[str, dict]:
    return {key: row for key, row in rows.items() if key != email}


def test_a_correction_reaches_the_webshop_on_each_database(shop_connector, shop, privacy_officer):
    before = customers(shop)
    request = anna("rectification")
    changed = rights.rectification_apply(
        request=request, changes={"phone": "0600000001"}, by=privacy_officer
    )
    assert changed["systeem-webshop"] == ["phone"]
    after = customers(shop)
    assert after[ANNA.email]["phone"] == "0600000001"
    assert _without(after, ANNA.email) == _without(before, ANNA.email)  # nobody else's row
    run = ConnectorRun.objects.get(request=request, operation=Operation.RECTIFY)
    assert run.status == RunStatus.DONE and run.report == {"fields": ["phone"]}
    assert run.records == 1 and run.connector == shop_connector
    assert request.events.filter(kind=EventKind.RECTIFIED, text="phone").exists()


def test_a_corrected_address_is_the_one_the_webshop_knows_the_person_by(
    shop_connector, shop, privacy_officer
):
    new = "annabel.zonneveld@voorbeeld.nl"
    request = anna("rectification")
    rights.rectification_apply(request=request, changes={"email": new}, by=privacy_officer)
    after = customers(shop)
    assert ANNA.email not in after and after[new]["last_name"] == ANNA.last_name
    assert {p.email for p in LOOKALIKES} <= set(after)


def test_a_correction_longer_than_the_column_fails_there_and_becomes_a_task(
    shop_connector, shop, webshop_url, privacy_officer
):
    """SQLite stores a string of any length; PostgreSQL and MariaDB (strict) refuse it. Either
    way the person's row is whole: on refusal untouched, and a task for a person says why."""
    request = anna("rectification")
    too_long = "06" * 16  # customers.phone is VARCHAR(30); ours holds 40
    rights.rectification_apply(request=request, changes={"phone": too_long}, by=privacy_officer)
    run = ConnectorRun.objects.get(request=request, operation=Operation.RECTIFY)
    row = customers(shop)[ANNA.email]
    if sa.engine.make_url(webshop_url).get_backend_name() == "sqlite":
        assert run.status == RunStatus.DONE and row["phone"] == too_long
        return
    assert run.status == RunStatus.FAILED and run.error
    assert row["phone"] == ANNA.phone
    task = RequestTask.objects.get(request=request, system=shop_connector.system, done_at=None)
    name = shop_connector.system.name
    assert task.title.startswith(f"Koppeling met {name} mislukt (correctie): DataError")


def test_a_restriction_marks_only_the_persons_row_on_each_database(
    shop_connector, shop, agent, no_broker, django_capture_on_commit_callbacks
):
    subject_get_or_create(email=ANNA.email, name=f"{ANNA.first_name} {ANNA.last_name}")
    request = anna("restriction")
    with django_capture_on_commit_callbacks(execute=True):
        rights.restriction_apply(request=request, by=agent)
    restricted = {email for email, row in customers(shop).items() if row["restricted"]}
    assert restricted == {ANNA.email}
    run = ConnectorRun.objects.get(request=request, operation=Operation.RESTRICT)
    assert run.status == RunStatus.DONE and run.records == 1 and run.attempts == 1
    event = request.events.get(kind=EventKind.RESTRICTED)
    assert event.data["systems"] == [shop_connector.system.name]


# --- the HTTP contract --------------------------------------------------------------------------


@pytest.fixture
def http_connector(server, register, monkeypatch):  # noqa: F811 — `server` is the fixture
    monkeypatch.setenv("SHOP_API_KEY", KEY)
    return Connector.objects.create(
        system=System.objects.get(slug="webshop"),
        kind=Kind.HTTP,
        base_url=server.url,
        secret_env="SHOP_API_KEY",
        timeout_seconds=5,
    )


def test_a_correction_reaches_an_http_system(
    http_connector,
    server,  # noqa: F811
    sqlite_shop,
    privacy_officer,
):
    before = customers(sqlite_shop)
    request = anna("rectification")
    changed = rights.rectification_apply(
        request=request, changes={"phone": "0600000004"}, by=privacy_officer
    )
    assert changed["systeem-webshop"] == ["phone"]
    assert server.calls == ["rectify"]
    after = customers(sqlite_shop)
    assert after[ANNA.email]["phone"] == "0600000004"
    assert _without(after, ANNA.email) == _without(before, ANNA.email)
    run = ConnectorRun.objects.get(request=request, operation=Operation.RECTIFY)
    assert run.status == RunStatus.DONE and run.report == {"fields": ["phone"]}


def test_a_restriction_reaches_an_http_system(
    http_connector,
    server,  # noqa: F811
    sqlite_shop,
    agent,
    no_broker,
    django_capture_on_commit_callbacks,
):
    subject_get_or_create(email=ANNA.email, name=f"{ANNA.first_name} {ANNA.last_name}")
    request = anna("restriction")
    with django_capture_on_commit_callbacks(execute=True):
        rights.restriction_apply(request=request, by=agent)
    assert server.calls == ["restrict"]
    restricted = {email for email, row in customers(sqlite_shop).items() if row["restricted"]}
    assert restricted == {ANNA.email}
    run = ConnectorRun.objects.get(request=request, operation=Operation.RESTRICT)
    assert run.status == RunStatus.DONE and run.records == 1


def test_an_http_system_that_refuses_a_correction_or_a_restriction_leaves_a_task(
    http_connector,
    server,  # noqa: F811
    sqlite_shop,
    privacy_officer,
    monkeypatch,
    no_broker,
    django_capture_on_commit_callbacks,
):
    monkeypatch.setenv("SHOP_API_KEY", "not-the-key-the-system-knows")
    subject_get_or_create(email=ANNA.email, name=f"{ANNA.first_name} {ANNA.last_name}")
    before = customers(sqlite_shop)
    rectification = anna("rectification")
    rights.rectification_apply(
        request=rectification, changes={"phone": "0600000005"}, by=privacy_officer
    )
    restriction = anna("restriction")
    with django_capture_on_commit_callbacks(execute=True):
        rights.restriction_apply(request=restriction, by=privacy_officer)
    assert customers(sqlite_shop) == before
    assert server.calls == ["rectify", "restrict"]  # a 401 is final: not retried
    for request, operation in ((rectification, "correctie"), (restriction, "beperking")):
        run = ConnectorRun.objects.get(request=request)
        assert run.status == RunStatus.FAILED and "HTTP 401" in run.error
        assert RequestTask.objects.filter(
            request=request,
            system=http_connector.system,
            title__startswith=f"Koppeling met {http_connector.system.name} mislukt ({operation})",
            title__contains="HTTP 401",
        ).exists()
