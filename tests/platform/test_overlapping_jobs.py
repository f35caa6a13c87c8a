"""Jobs safe to overlap (issue 19): two runs of the same job at once, on PostgreSQL, write each
event once and never raise. SQLite serialises every writing transaction, so there two runs
cannot overlap and these tests are skipped.

Each run is a thread with its own database connection, released together by a barrier."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections

from consents import jobs as consent_jobs
from consents.models import ConsentEvent
from consents.selectors import ledger_verify
from consents.services import consent_give, subject_get_or_create
from requests_desk import jobs as desk_jobs
from requests_desk import outbox
from requests_desk.models import DataSubjectRequest, OutboxMessage, Status
from requests_desk.services import request_verify_identity
from tests.consents.conftest import clear_ledger
from tests.factories import open_request

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises writing transactions: two runs cannot overlap there",
    ),
]


@pytest.fixture
def ledger_cleared_after():
    yield
    clear_ledger()


def at_once(job, runs: int = 2) -> list:
    """Run `job` in `runs` threads released at the same moment; their results, or the errors."""
    barrier, results = threading.Barrier(runs), []

    def run():
        try:
            barrier.wait()
            results.append(job())
        except Exception as error:  # noqa: BLE001 — the test asserts there were none
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_soft_opt_in_expiries_at_once_write_each_lapse_once(marketing, ledger_cleared_after):
    for n in range(34):
        subject = subject_get_or_create(email=f"klant{n}@school.example")
        subject.customer_until = dt.date(2020, 1, 1)
        subject.save()
        consent_give(subject=subject, purpose=marketing, method="web_form")
    results = at_once(lambda: consent_jobs.soft_opt_in_expire(today=dt.date(2026, 11, 25)))
    assert sorted(results) == [0, 34]
    assert ConsentEvent.objects.filter(action="expired").count() == 34
    assert ledger_verify() == (68, None)


def test_two_close_outs_at_once_close_each_request_once(marketing, agent, ledger_cleared_after):
    for n in range(12):
        email = f"bezwaar{n}@school.example"
        consent_give(
            subject=subject_get_or_create(email=email), purpose=marketing, method="web_form"
        )
        request = open_request(kind="objection_direct_marketing", requester_email=email)
        request_verify_identity(request=request, method="email", by=agent)
    results = at_once(desk_jobs.requests_close_out)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(r["completed"] for r in results) == 12
    assert OutboxMessage.objects.filter(letter_kind="completion").count() == 12
    assert ConsentEvent.objects.filter(action="withdrawn").count() == 12
    assert set(DataSubjectRequest.objects.values_list("status", flat=True)) == {Status.COMPLETED}


def test_two_sweeps_at_once_send_each_letter_once(monkeypatch, ledger_cleared_after):
    call_command("load_rezulto_register", verbosity=0)
    monkeypatch.setattr("requests_desk.outbox.send_soon", lambda message_id: None)
    for n in range(20):
        open_request(requester_email=f"brief{n}@school.example")
    results = at_once(outbox.outbox_sweep)
    assert sum(results) == 20
    assert len(mail.outbox) == 20
    assert len({m.extra_headers["Message-ID"] for m in mail.outbox}) == 20
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}
