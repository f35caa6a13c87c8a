"""Two agents opening requests at the same moment never get the same reference, and no number is
skipped (PostgreSQL: the year's counter row is locked; SQLite serialises every writer anyway)."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections

from requests_desk.models import DataSubjectRequest
from tests.factories import open_request

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_concurrent_openings_get_gap_free_unique_references():
    call_command("load_rezulto_register", verbosity=0)
    errors, barrier = [], threading.Barrier(6)

    def open_one(i):
        try:
            barrier.wait()
            open_request(requester_email=f"p{i}@school.example", requester_name=f"P {i}")
        except Exception as error:  # noqa: BLE001 — collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=open_one, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    numbers = sorted(
        int(r.split("-")[-1])
        for r in DataSubjectRequest.objects.values_list("reference", flat=True)
    )
    assert numbers == list(range(1, 7))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_two_agents_completing_one_request_at_once_one_wins_and_nothing_is_lost():
    from django.core.exceptions import ValidationError

    from accounts.roles import PRIVACY_OFFICER, setup_roles
    from requests_desk.models import OutboxMessage
    from requests_desk.services import request_complete, request_verify_identity
    from tests.factories import UserFactory

    setup_roles()
    call_command("load_rezulto_register", verbosity=0)
    officers = [UserFactory(role=PRIVACY_OFFICER) for _ in range(2)]
    request = request_verify_identity(request=open_request(), method="email", by=officers[0])
    outcomes, barrier = [], threading.Barrier(2)

    def complete(officer, outcome):
        stale = DataSubjectRequest.objects.get(pk=request.pk)  # each agent's own page
        try:
            barrier.wait()
            request_complete(request=stale, by=officer, outcome=outcome, override_reason="Test.")
            outcomes.append(("done", outcome))
        except ValidationError as error:
            outcomes.append(("refused", error.messages[0]))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=complete, args=(officer, f"Uitkomst {i}"))
        for i, officer in enumerate(officers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(kind for kind, _ in outcomes) == ["done", "refused"]
    [winner] = [text for kind, text in outcomes if kind == "done"]
    [message] = [text for kind, text in outcomes if kind == "refused"]
    assert "Afgerond" in message  # "'Afronden' kan niet bij een verzoek met status 'Afgerond'."
    request.refresh_from_db()
    assert request.status == "completed" and request.outcome == winner
    assert request.events.filter(kind="status", data__target="completed").count() == 1
    assert OutboxMessage.objects.filter(request=request, letter_kind="completion").count() == 1
