"""An idle desk session ends after SESSION_IDLE_MINUTES; activity keeps it alive."""

import datetime as dt

import pytest
import time_machine

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


def test_an_idle_session_ends_after_thirty_minutes(client, agent):
    with time_machine.travel(START, tick=False) as clock:
        client.post("/accounts/login/", {"username": "kees", "password": "correct-horse-battery"})
        assert client.get("/admin/login/").status_code in (200, 302)
        clock.shift(dt.timedelta(minutes=31))
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_activity_keeps_the_session_alive(client, privacy_officer):
    with time_machine.travel(START, tick=False) as clock:
        client.post("/accounts/login/", {"username": "priya", "password": "correct-horse-battery"})
        for _ in range(3):
            clock.shift(dt.timedelta(minutes=20))
            assert client.get("/admin/").status_code == 200
