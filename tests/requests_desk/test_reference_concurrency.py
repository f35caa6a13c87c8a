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
