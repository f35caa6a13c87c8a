"""Every public form is limited per client address and per e-mail address; past the limit the
person sees a Dutch message and nothing is written or sent."""

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache

from self_service import ratelimits
from self_service.models import PendingSubmission
from tests.self_service.conftest import ACCESS_REQUEST

pytestmark = pytest.mark.django_db

URL = "/privacy/verzoek/"


@pytest.fixture
def tight_limits(settings):
    cache.clear()  # counts from earlier tests on this process (a live server's commit them)
    settings.SELF_SERVICE_RATE_LIMITS = {
        **settings.SELF_SERVICE_RATE_LIMITS,
        "request_per_ip": (3, 3600),
        "request_per_email": (2, 3600),
    }


def test_one_address_past_its_limit_is_told_to_wait_and_nothing_is_written(client, tight_limits):
    for n in range(3):
        client.post(URL, {**ACCESS_REQUEST, "email": f"persoon{n}@voorbeeld.nl"})
    assert PendingSubmission.objects.count() == 3

    response = client.post(URL, {**ACCESS_REQUEST, "email": "nog-een@voorbeeld.nl"})

    assert response.status_code == 429
    assert "Je hebt dit formulier te vaak verstuurd" in response.content.decode()
    assert PendingSubmission.objects.count() == 3 and len(mail.outbox) == 3


def test_invalid_posts_count_against_the_address_too(client, tight_limits):
    for _ in range(3):
        client.post(URL, {"name": ""})
    response = client.post(URL, ACCESS_REQUEST)
    assert response.status_code == 429
    assert not PendingSubmission.objects.exists()


def test_one_email_address_past_its_limit_from_many_addresses(client, tight_limits):
    for n in range(2):
        client.post(URL, ACCESS_REQUEST, REMOTE_ADDR=f"192.0.2.{n}")
    response = client.post(URL, ACCESS_REQUEST, REMOTE_ADDR="192.0.2.99")

    assert response.status_code == 429
    assert "Je hebt dit formulier te vaak verstuurd" in response.content.decode()
    assert PendingSubmission.objects.count() == 2 and len(mail.outbox) == 2


def test_the_email_limit_ignores_case_and_spaces(client, tight_limits):
    for n, email in enumerate(["Fatima@Voorbeeld.nl", " fatima@voorbeeld.nl "]):
        client.post(URL, {**ACCESS_REQUEST, "email": email}, REMOTE_ADDR=f"192.0.2.{n}")
    response = client.post(URL, ACCESS_REQUEST, REMOTE_ADDR="192.0.2.50")
    assert response.status_code == 429


def test_the_count_starts_again_in_the_next_window():
    limit = ratelimits.Limit(attempts=1, window_seconds=3600)
    with time_machine.travel("2026-11-25 10:00:00+00:00", tick=False):
        assert ratelimits.hit("test", "x", limit)
        assert not ratelimits.hit("test", "x", limit)
    with time_machine.travel("2026-11-25 11:00:01+00:00", tick=False):
        assert ratelimits.hit("test", "x", limit)


def test_a_count_lasts_its_whole_window_on_the_database_cache():
    # The database cache's incr() would reset the entry to its default timeout (five minutes).
    limit = ratelimits.Limit(attempts=2, window_seconds=3600)
    with time_machine.travel("2026-11-25 10:00:00+00:00", tick=False):
        assert ratelimits.hit("test", "y", limit)
        assert ratelimits.hit("test", "y", limit)
    with time_machine.travel("2026-11-25 10:50:00+00:00", tick=False):
        assert not ratelimits.hit("test", "y", limit)


def test_the_client_address_honours_only_the_configured_proxies(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    settings.SELF_SERVICE_TRUSTED_PROXIES = 0
    assert ratelimits.client_address(request) == "10.0.0.1"
    settings.SELF_SERVICE_TRUSTED_PROXIES = 1
    assert ratelimits.client_address(request) == "203.0.113.7"


def test_the_cache_keys_hold_no_email_address():
    key = ratelimits._key("request:email", "fatima@voorbeeld.nl")
    assert "fatima" not in key and "voorbeeld" not in key


def test_confirming_is_limited_per_address(client, settings):
    settings.SELF_SERVICE_RATE_LIMITS = {
        **settings.SELF_SERVICE_RATE_LIMITS,
        "confirm_per_ip": (2, 60),
    }
    for _ in range(2):
        assert client.post("/privacy/verzoek/bevestig/nonsense/").status_code == 400
    response = client.post("/privacy/verzoek/bevestig/nonsense/")
    assert response.status_code == 429
    assert "Je hebt dit formulier te vaak verstuurd" in response.content.decode()
