"""An erasure carried out through a real Celery worker over the configured broker, in a real webshop
database: the officer's decision hands the webshop's run to the worker, the run erases there in
its own transaction and hands `finish_erasure` on, which erases our own tables and queues the
letter that the worker sends. The test waits for each task by its result, never by sleeping."""

from importlib.util import find_spec

import pytest
from django.apps import apps
from django.core import mail

from connectors.models import RunStatus
from connectors.selectors import erasure_letter_lines, erasure_status
from connectors.tasks import connector_run
from requests_desk.models import EventKind
from subject_rights import services as rights
from subject_rights.tasks import finish_erasure
from tests.connectors.conftest import ANNA, LOOKALIKES, text_columns_containing
from tests.connectors.test_rights import NEEDLES, anna, erasure_kept
from tests.platform.test_celery_worker import celery_config, celery_worker_parameters  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def celery_includes():
    """Every app's tasks, as the real app autodiscovers them: the services hand tasks over by
    name (the outbox's letter, the erasure's finish), and the worker must know each."""
    names = [f"{config.name}.tasks" for config in apps.get_app_configs()]
    return [name for name in names if find_spec(name)]


@pytest.fixture
def handed(celery_app, celery_worker, monkeypatch):
    """Every hand-over of the services (`current_app.send_task`) goes to the test's worker, and
    each task sent is kept with its result, in the order sent. The services look the app up as
    the current one; the worker's thread as the default one (both restored by `celery_app`)."""
    celery_app.set_default()
    celery_app.set_current()
    sent = []
    send = celery_app.send_task

    def record(name, *args, **kwargs):
        result = send(name, *args, **kwargs)
        sent.append((name, result))
        return result

    monkeypatch.setattr(celery_app, "send_task", record)
    celery_worker.reload()
    return sent


def drain(sent: list, timeout: float = 60) -> list[str]:
    """Wait for every task sent, and for the tasks those sent: a task hands its next step over
    before its result is stored, so once the last one known has finished, none is missing."""
    done = 0
    while done < len(sent):
        sent[done][1].get(timeout=timeout)
        done += 1
    return [name for name, _result in sent]


def test_the_worker_erases_the_webshop_then_our_tables_and_the_letter_lists_the_system(
    webshop_connector, sqlite_shop, privacy_officer, handed
):
    others = text_columns_containing(sqlite_shop, [LOOKALIKES[0].email, LOOKALIKES[1].email])
    request = anna("erasure")
    drain(handed)  # the acknowledgement and the other letters of the intake
    handed.clear()
    assert rights.erasure_carry_out(request=request, by=privacy_officer) is None
    names = drain(handed)
    assert names[:2] == [connector_run.name, finish_erasure.name]
    # In the webshop: nothing of Anna but the invoice kept for the tax authority; nobody else's
    # rows touched.
    left = text_columns_containing(sqlite_shop, NEEDLES)
    assert set(left) == {"invoices"} and len(left["invoices"]) == 1
    assert left["invoices"][0]["customer_id"] is None
    assert text_columns_containing(sqlite_shop, [p.email for p in LOOKALIKES]) == others
    # The system's status: done, what it erased, nulled and kept, verified by a fresh lookup.
    (run,) = erasure_status(request)
    assert run.connector == webshop_connector
    assert run.status == RunStatus.DONE and run.attempts == 1 and not run.error
    assert run.report["remaining"] == 0
    assert run.report["deleted"]["customers"] == 1 and run.erased == run.records - run.nulled
    assert run.report["updated"] == {"forum_posts": 1}
    assert [(k["table"], k["rows"]) for k in run.kept] == [("invoices", 1)]
    # Our own tables were erased by the worker's finish_erasure, once.
    request.refresh_from_db()
    assert request.requester_email != ANNA.email
    assert request.events.filter(kind=EventKind.ERASED).count() == 1
    assert any("— invoices" in k["what"] and "AWR" in k["reason"] for k in erasure_kept(request))
    # The letter the worker sent lists the system as its run recorded it.
    (letter,) = [m for m in mail.outbox if "verwijderd" in m.subject]
    assert letter.to == [ANNA.email]
    system = webshop_connector.system.name
    (line,) = [x for x in letter.body.splitlines() if x.startswith(f"- {system}:")]
    assert line in erasure_letter_lines(request)
    assert f"verwijderd: {run.erased} (" in line and "customers 1" in line
    assert "leeggemaakt: 1 (forum_posts 1)" in line
    assert "invoices (1 regel) bewaard: Fiscale bewaarplicht" in line
    # The same tasks delivered again: the run keeps its record, the erasure is not redone.
    report = run.report
    handed.clear()
    assert connector_run.apply_async(args=[run.pk]).get(timeout=60) == RunStatus.DONE
    assert finish_erasure.apply_async(args=[request.pk]).get(timeout=60) is False
    drain(handed)
    run.refresh_from_db()
    assert run.report == report and run.attempts == 1
    assert request.events.filter(kind=EventKind.ERASED).count() == 1
    assert len([m for m in mail.outbox if "verwijderd" in m.subject]) == 1
