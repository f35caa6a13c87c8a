"""Access, erasure and correction reach the connected webshop (a real SQLite database): the
package waits for the system's run and then holds exactly the person's rows, table by table with
its source; the erasure empties the webshop but for the kept invoice, which the letter names; a
system that fails becomes a task for a person with the error, and the package waits."""

import io
import json
import zipfile
from datetime import date

import pytest
import sqlalchemy as sa
from django.core import mail
from django.core.exceptions import ValidationError

from connectors.models import ConnectorRun, Operation, RunStatus
from connectors.tasks import connector_run
from requests_desk.models import EventKind, RequestTask
from requests_desk.outbox import outbox_sweep
from subject_rights import services as rights
from subject_rights.models import AccessPackage
from tests.connectors.conftest import ANNA, LOOKALIKES, text_columns_containing
from tests.subject_rights.conftest import verified

pytestmark = pytest.mark.django_db

NEEDLES = [ANNA.email, ANNA.last_name, ANNA.phone]


def anna(kind):
    return verified(
        kind,
        requester_email=ANNA.email,
        requester_name=f"{ANNA.first_name} {ANNA.last_name}",
        requester_phone="",
    )


def open_zip(package):
    with package.file.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def test_the_package_waits_for_the_system_then_holds_exactly_the_persons_rows(
    webshop_connector, sqlite_shop, django_capture_on_commit_callbacks, no_broker
):
    with sqlite_shop.begin() as conn:
        conn.execute(
            sa.text("UPDATE forum_posts SET body = '=HYPERLINK(\"x\")' WHERE customer_id = 1")
        )
    request = anna("access")
    with django_capture_on_commit_callbacks(execute=True):
        rights.package_order(request=request, by=None)
    run = ConnectorRun.objects.get(request=request, operation=Operation.ACCESS)
    assert run.status == RunStatus.DONE and run.records == 13
    package = AccessPackage.objects.get(request=request)
    archive = open_zip(package)
    document = json.loads(archive.read("systeem-webshop.json"))
    assert document["bron"] == f"{webshop_connector.system.name} (gekoppeld systeem)"
    tables = document["tabellen"]
    assert [c["email"] for c in tables["customers"]] == [ANNA.email]
    assert len(tables["orders"]) == 2 and len(tables["invoices"]) == 2
    text = json.dumps(document)
    assert not any(p.email in text or p.last_name in text for p in LOOKALIKES)
    csv_text = archive.read("systeem-webshop-forum_posts.csv").decode()
    assert "'=HYPERLINK" in csv_text  # formula cells neutralised
    assert "systeem-webshop-order_lines.csv" in archive.namelist()
    summary = archive.read("samenvatting.txt").decode()
    assert f"{webshop_connector.system.name} (gekoppeld systeem)" in summary
    run.refresh_from_db()
    assert not run.data  # the fetched copy is gone once the package holds it


def test_while_the_system_has_not_answered_nothing_is_built(
    webshop_connector, django_capture_on_commit_callbacks, monkeypatch
):
    from celery import current_app

    sent = []
    monkeypatch.setattr(current_app, "send_task", lambda name, **kw: sent.append((name, kw)))
    request = anna("access")
    with django_capture_on_commit_callbacks(execute=True):
        assert rights.package_build(request=request) is None
    assert [name for name, _ in sent] == ["connectors.tasks.connector_run"]
    assert sent[0][1]["soft_time_limit"] > 0
    assert not AccessPackage.objects.filter(request=request).exists()
    assert request.events.filter(text__contains="Wacht op: Webshop").exists()
    run = ConnectorRun.objects.get(request=request)
    # The task itself (as a function): the run is done and the package is asked for again.
    with django_capture_on_commit_callbacks(execute=True):
        assert connector_run.apply(args=[run.pk]).get() == RunStatus.DONE
    assert sent[-1][0] == "subject_rights.tasks.build_access_package"
    assert rights.package_build(request=request) is not None


def test_a_failing_system_becomes_a_task_with_the_error_and_the_package_waits(
    webshop_connector, django_capture_on_commit_callbacks, no_broker, monkeypatch
):
    monkeypatch.setenv("WEBSHOP_TEST_URL", "sqlite:////nonexistent/dir/po_i18_conn_x.sqlite3")
    request = anna("access")
    with django_capture_on_commit_callbacks(execute=True):
        rights.package_order(request=request, by=None)
    run = ConnectorRun.objects.get(request=request)
    assert run.status == RunStatus.FAILED and "OperationalError" in run.error
    task = RequestTask.objects.get(request=request, title__startswith="Koppeling met Webshop")
    assert "OperationalError" in task.title and task.system == webshop_connector.system
    assert not AccessPackage.objects.filter(request=request).exists()
    assert request.events.filter(text__contains="Wacht op").exists()


def test_the_task_retries_then_records_the_failure(webshop_connector, monkeypatch):
    monkeypatch.delenv("WEBSHOP_TEST_URL")
    request = anna("access")
    rights.package_build(request=request)
    run = ConnectorRun.objects.get(request=request)
    result = connector_run.apply(args=[run.pk])  # eager: the retries run at once, in order
    assert result.get(propagate=False) == RunStatus.FAILED or result.failed()
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.attempts == 4
    assert "WEBSHOP_TEST_URL" in run.error


def erasure_kept(request) -> list[dict]:
    """What the finished erasure recorded as kept (the ERASED event), or [] if not finished."""
    event = request.events.filter(kind=EventKind.ERASED).first()
    return event.data["kept"] if event else []


def erasure_letters():
    outbox_sweep()
    return [m for m in mail.outbox if "verwijderd" in m.subject]


def test_erasure_runs_a_task_per_system_then_our_tables_and_the_letter_lists_every_system(
    webshop_connector,
    sqlite_shop,
    privacy_officer,
    no_broker,
    django_capture_on_commit_callbacks,
):
    request = anna("erasure")
    with django_capture_on_commit_callbacks(execute=True):
        assert rights.erasure_carry_out(request=request, by=privacy_officer) is None
    left = text_columns_containing(sqlite_shop, NEEDLES)
    assert set(left) == {"invoices"} and len(left["invoices"]) == 1
    run = ConnectorRun.objects.get(request=request, operation=Operation.ERASE)
    assert run.status == RunStatus.DONE and run.report["remaining"] == 0
    assert run.report["deleted"]["customers"] == 1 and run.then
    assert any("— invoices" in k["what"] and "AWR" in k["reason"] for k in erasure_kept(request))
    (letter,) = erasure_letters()
    assert letter.to == [ANNA.email]
    system = webshop_connector.system.name
    line = next(x for x in letter.body.splitlines() if x.startswith(f"- {system}:"))
    assert f"verwijderd: {run.erased} (" in line and "customers 1" in line
    assert f"leeggemaakt: {run.nulled}" in line
    until = run.kept[0]["until"]
    assert "invoices (1 regel) bewaard: " in line and "art. 52 AWR" in line
    assert until and line.endswith(_dutch_date(until))
    # The systems without a connector: their tasks by hand, ticked off before the erasure could
    # go (the whole answer), with the day.
    manual = list(request.tasks.exclude(system=None).values_list("system__name", flat=True))
    assert manual and system not in manual
    today = _dutch_date(str(date.today()))
    for name in set(manual):
        n = manual.count(name)
        assert (
            f"- {name} (met de hand, {n} {'taak' if n == 1 else 'taken'}): "
            f"afgerond door een medewerker op {today}"
        ) in letter.body
    # Our own tables are erased only now: the request no longer holds the address.
    request.refresh_from_db()
    assert request.requester_email != ANNA.email


def _dutch_date(iso: str) -> str:
    import datetime as dt

    from django.utils import formats, translation

    with translation.override("nl"):
        return formats.date_format(dt.date.fromisoformat(iso), "j F Y")


def test_the_erasure_waits_for_the_task_and_a_task_run_twice_writes_nothing_twice(
    webshop_connector, sqlite_shop, privacy_officer, django_capture_on_commit_callbacks, monkeypatch
):
    from celery import current_app

    from subject_rights.tasks import finish_erasure

    sent = []
    monkeypatch.setattr(current_app, "send_task", lambda name, **kw: sent.append((name, kw)))
    request = anna("erasure")
    with django_capture_on_commit_callbacks(execute=True):
        assert rights.erasure_carry_out(request=request, by=privacy_officer) is None
    assert [name for name, _ in sent] == ["connectors.tasks.connector_run"]
    assert sent[0][1]["soft_time_limit"] > 0 and sent[0][1]["time_limit"] > 0
    # Nothing erased yet, here or there; no letter; the timeline says what it waits for.
    assert text_columns_containing(sqlite_shop, [ANNA.last_name])["customers"]
    request.refresh_from_db()
    assert request.requester_email == ANNA.email and not erasure_kept(request)
    assert request.events.filter(text=f"Wacht op: {webshop_connector.system.name}").exists()
    assert not erasure_letters()
    with pytest.raises(ValidationError, match="al besloten"):
        rights.erasure_carry_out(request=request, by=privacy_officer)
    run = ConnectorRun.objects.get(request=request, operation=Operation.ERASE)
    with django_capture_on_commit_callbacks(execute=True):
        assert connector_run.apply(args=[run.pk]).get() == RunStatus.DONE
    assert sent[-1] == ("subject_rights.tasks.finish_erasure", {"args": [request.pk]})
    report = ConnectorRun.objects.get(pk=run.pk).report
    # The same task delivered again: the system finds nothing more, the run keeps its record.
    with django_capture_on_commit_callbacks(execute=True):
        assert connector_run.apply(args=[run.pk]).get() == RunStatus.DONE
    assert ConnectorRun.objects.get(pk=run.pk).report == report
    assert finish_erasure.apply(args=[request.pk]).get() is True
    assert finish_erasure.apply(args=[request.pk]).get() is False
    assert request.events.filter(kind=EventKind.ERASED).count() == 1
    assert len(erasure_letters()) == 1


def test_a_system_that_fails_is_a_task_with_the_error_and_the_erasure_waits_for_its_retry(
    webshop_connector,
    sqlite_shop,
    privacy_officer,
    client_as,
    monkeypatch,
    no_broker,
    django_capture_on_commit_callbacks,
):
    url = webshop_connector.secret()
    monkeypatch.delenv("WEBSHOP_TEST_URL")
    request = anna("erasure")
    with django_capture_on_commit_callbacks(execute=True):
        assert rights.erasure_carry_out(request=request, by=privacy_officer) is None
    run = ConnectorRun.objects.get(request=request, operation=Operation.ERASE)
    assert run.status == RunStatus.FAILED and "WEBSHOP_TEST_URL" in run.error
    assert RequestTask.objects.filter(
        request=request, title__contains="WEBSHOP_TEST_URL", system=webshop_connector.system
    ).exists()
    assert text_columns_containing(sqlite_shop, [ANNA.last_name])["customers"]  # untouched
    assert not erasure_kept(request) and not erasure_letters()  # never a silent gap
    client = client_as("privacy_officer")
    page = client.get(f"/desk/{request.reference}/").content.decode()
    assert "mislukt (De omgevingsvariabele WEBSHOP_TEST_URL is niet gezet.)" in page
    # A person fixes the cause and asks the system again: the erasure then finishes.
    monkeypatch.setenv("WEBSHOP_TEST_URL", url)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/desk/{request.reference}/koppelingen/{run.pk}/opnieuw/")
    assert ConnectorRun.objects.get(pk=run.pk).status == RunStatus.DONE
    assert set(text_columns_containing(sqlite_shop, NEEDLES)) == {"invoices"}
    assert erasure_kept(request) and len(erasure_letters()) == 1
    page = client.get(f"/desk/{request.reference}/").content.decode()
    done = ConnectorRun.objects.get(pk=run.pk)
    assert (
        f"klaar (gewist {done.erased}, leeggemaakt {done.nulled}, bewaard {done.kept_rows})" in page
    )


def test_a_ticked_off_task_by_hand_is_in_the_letter_with_its_day(
    webshop_connector, privacy_officer, agent, no_broker, django_capture_on_commit_callbacks
):
    import datetime as dt

    from django.utils import timezone

    request = anna("erasure")  # every task ticked off (the whole answer before the erasure)
    task = request.tasks.exclude(system=None).order_by("system__name").first()
    earlier = timezone.now() - dt.timedelta(days=3)
    request.tasks.filter(system=task.system).update(done_at=earlier, done_by=agent)
    with django_capture_on_commit_callbacks(execute=True):
        rights.erasure_carry_out(request=request, by=privacy_officer)
    (letter,) = erasure_letters()
    line = next(x for x in letter.body.splitlines() if x.startswith(f"- {task.system.name} (met"))
    day = timezone.localtime(earlier).date()
    assert line.endswith(f": afgerond door een medewerker op {_dutch_date(str(day))}")


def test_a_correction_reaches_the_webshop(webshop_connector, sqlite_shop, privacy_officer):
    request = anna("rectification")
    changed = rights.rectification_apply(
        request=request, changes={"phone": "0600000001"}, by=privacy_officer
    )
    assert changed["systeem-webshop"] == ["phone"]
    with sqlite_shop.connect() as conn:
        phone = conn.execute(
            sa.text("SELECT phone FROM customers WHERE email = :e"), {"e": ANNA.email}
        ).scalar()
    assert phone == "0600000001"


def test_the_request_page_shows_each_systems_state(
    webshop_connector, client_as, agent, no_broker, django_capture_on_commit_callbacks
):
    request = anna("access")
    with django_capture_on_commit_callbacks(execute=True):
        rights.package_order(request=request, by=None)
    page = client_as("agent").get(f"/desk/{request.reference}/").content.decode()
    assert "Gekoppelde systemen" in page and "klaar (13 records)" in page


def test_an_open_erasure_shows_per_system_and_table_what_it_would_do(
    webshop_connector, client_as, privacy_officer
):
    request = anna("erasure")
    client = client_as("privacy_officer")
    page = client.get(f"/desk/{request.reference}/").content.decode()
    assert "Wat wissen in elk systeem zou doen (proefrun)" in page
    assert "<td>invoices</td><td>2</td><td>1</td><td>0</td><td>1</td>" in page
    confirm = client.get(f"/desk/{request.reference}/rechten/wissen/").content.decode()
    # The rights' confirm step counts the system's rows too, per table, with what erasure will do
    # with them (from the dry run), before the officer confirms.
    assert f"{webshop_connector.system.name} (gekoppeld systeem): 13 regels" in confirm
    form = confirm.index('name="confirm"')  # the officer's tick box
    for row in (
        "<tr><td>customers</td><td>1</td><td>1</td><td>0</td><td>0</td></tr>",
        "<tr><td>forum_posts</td><td>1</td><td>0</td><td>1</td><td>0</td></tr>",
        "<tr><td>invoices</td><td>2</td><td>1</td><td>0</td><td>1</td></tr>",
    ):
        assert -1 < confirm.index(row) < form, row
    assert confirm.count("<tr><td>orders</td><td>2</td>") == 1
    # Our own sources per table too (rows only: erasing here is not a dry run's plan).
    assert "<tr><td>verzoeken</td><td>1</td></tr>" in confirm


def test_the_confirm_step_says_when_a_system_cannot_be_asked(
    webshop_connector, client_as, monkeypatch
):
    monkeypatch.delenv("WEBSHOP_TEST_URL")
    request = anna("erasure")
    confirm = client_as("privacy_officer").get(f"/desk/{request.reference}/rechten/wissen/")
    page = confirm.content.decode()
    name = webshop_connector.system.name
    assert f"{name} (gekoppeld systeem): 0 regels" not in page  # not "nothing found"
    assert (
        f'{name} (gekoppeld systeem): <strong class="overdue-flag">niet bereikbaar (De '
        "omgevingsvariabele WEBSHOP_TEST_URL is niet gezet.)"
    ) in page


def test_the_completeness_report_flags_what_the_connectors_lack(
    webshop_connector, sqlite_shop, monkeypatch
):
    from privacy_register.selectors import completeness_findings

    def codes():
        return {(f.subject, f.code) for f in completeness_findings()}

    name = webshop_connector.system.name
    assert (name, "system_without_connector") not in codes()
    assert any(c == "system_without_connector" for _, c in codes())  # the CRM, the forum, …
    assert (name, "identity_not_indexed") not in codes()
    with sqlite_shop.begin() as conn:  # an identity column without an index
        conn.execute(sa.text("CREATE TABLE people (id INTEGER PRIMARY KEY, mail TEXT)"))
    webshop_connector.mapping = (
        "version: 1\nidentity: {table: people, column: mail}\n"
        "tables:\n  people: {erase: delete_row}\n"
    )
    webshop_connector.save()
    assert (name, "identity_not_indexed") in codes()
    monkeypatch.delenv("WEBSHOP_TEST_URL")
    from connectors.services import connector_dry_run

    assert connector_dry_run(connector=webshop_connector, email=ANNA.email, by=None)["ok"] is False
    assert (name, "dry_run_failed") in codes()


def test_a_system_with_a_connector_gets_no_task_by_hand(webshop_connector):
    system = webshop_connector.system
    access = anna("access")
    assert not access.tasks.filter(system=system).exists()
    assert access.tasks.exclude(system=system).exists()  # the other systems still have theirs
    objection = anna("objection_direct_marketing")
    webshop_connector.kind = "manual"
    webshop_connector.save()
    manual = anna("access")
    assert manual.tasks.filter(system=system).exists()
    assert objection is not None


def test_an_erasure_also_removes_a_fetched_copy_not_yet_in_a_package(
    webshop_connector, privacy_officer, django_capture_on_commit_callbacks, no_broker
):
    from connectors.services import run_execute, runs_start

    access = anna("access")
    (run,) = runs_start(request=access, operation=Operation.ACCESS)
    run = run_execute(run_id=run.pk)
    name, storage = run.data.name, run.data.storage
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        rights.erasure_carry_out(request=anna("erasure"), by=privacy_officer)
    run.refresh_from_db()
    assert not run.data and not storage.exists(name)


def _anna_customer(engine, column):
    with engine.connect() as conn:
        return conn.execute(
            sa.text(f"SELECT {column} FROM customers WHERE email = :e"), {"e": ANNA.email}
        ).scalar()


def test_a_correction_is_recorded_as_the_systems_run(
    webshop_connector, sqlite_shop, privacy_officer
):
    request = anna("rectification")
    rights.rectification_apply(request=request, changes={"phone": "0600000002"}, by=privacy_officer)
    assert _anna_customer(sqlite_shop, "phone") == "0600000002"
    run = ConnectorRun.objects.get(request=request, operation=Operation.RECTIFY)
    assert run.status == RunStatus.DONE and run.report == {"fields": ["phone"]}
    assert not RequestTask.objects.filter(request=request, system=webshop_connector.system).exists()


def test_a_correction_the_system_refuses_becomes_a_task(
    webshop_connector, sqlite_shop, privacy_officer, monkeypatch
):
    request = anna("rectification")
    monkeypatch.delenv("WEBSHOP_TEST_URL")
    rights.rectification_apply(request=request, changes={"phone": "0600000003"}, by=privacy_officer)
    run = ConnectorRun.objects.get(request=request, operation=Operation.RECTIFY)
    assert run.status == RunStatus.FAILED and "WEBSHOP_TEST_URL" in run.error
    assert RequestTask.objects.filter(request=request, system=webshop_connector.system).exists()
    assert _anna_customer(sqlite_shop, "phone") != "0600000003"


def test_a_restriction_marks_the_rows_in_the_webshop_by_a_run_of_its_own(
    webshop_connector, sqlite_shop, agent, no_broker, django_capture_on_commit_callbacks
):
    from consents.services import subject_get_or_create

    subject_get_or_create(email=ANNA.email, name=f"{ANNA.first_name} {ANNA.last_name}")
    request = anna("restriction")
    assert not _anna_customer(sqlite_shop, "restricted")
    with django_capture_on_commit_callbacks(execute=True):
        rights.restriction_apply(request=request, by=agent)
    assert _anna_customer(sqlite_shop, "restricted")
    run = ConnectorRun.objects.get(request=request, operation=Operation.RESTRICT)
    assert run.status == RunStatus.DONE and run.records == 1
    event = request.events.get(kind=EventKind.RESTRICTED)
    assert webshop_connector.system.name in event.data["systems"]
    with sqlite_shop.connect() as conn:  # nobody else's row
        assert (
            conn.execute(sa.text("SELECT count(*) FROM customers WHERE restricted")).scalar() == 1
        )


def test_a_restriction_the_system_cannot_mark_becomes_a_task(
    webshop_connector,
    sqlite_shop,
    agent,
    no_broker,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    from consents.services import subject_get_or_create

    subject_get_or_create(email=ANNA.email, name=f"{ANNA.first_name} {ANNA.last_name}")
    request = anna("restriction")
    monkeypatch.delenv("WEBSHOP_TEST_URL")
    tasks = RequestTask.objects.filter(request=request, system=webshop_connector.system)
    before = tasks.count()
    with django_capture_on_commit_callbacks(execute=True):
        rights.restriction_apply(request=request, by=agent)
    run = ConnectorRun.objects.get(request=request, operation=Operation.RESTRICT)
    assert run.status == RunStatus.FAILED and "WEBSHOP_TEST_URL" in run.error
    assert tasks.count() == before + 1
    assert not _anna_customer(sqlite_shop, "restricted")
