"""Login throttling (django-axes): a user name is locked after repeated wrong passwords from one
address, with a clear Dutch message, and the right password does not get through meanwhile."""

import pytest
from django.test import override_settings

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def attempt(client, password):
    return client.post("/accounts/login/", {"username": "kees", "password": password})


@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_user_name_is_locked_after_the_failure_limit(client):
    UserFactory(username="kees")
    for _ in range(2):
        assert attempt(client, "wrong").status_code == 200
    response = attempt(client, "wrong")
    assert response.status_code == 429
    assert "Tijdelijk geblokkeerd" in response.content.decode()
    assert "15 minuten" in response.content.decode()


@override_settings(AXES_FAILURE_LIMIT=3)
def test_the_right_password_is_refused_while_locked(client):
    UserFactory(username="kees")
    for _ in range(3):
        attempt(client, "wrong")
    assert attempt(client, "correct-horse-battery").status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(AXES_FAILURE_LIMIT=3)
def test_another_user_name_is_not_locked(client):
    UserFactory(username="kees")
    UserFactory(username="priya")
    for _ in range(3):
        attempt(client, "wrong")
    response = client.post(
        "/accounts/login/", {"username": "priya", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_success_resets_the_count(client):
    UserFactory(username="kees")
    for _ in range(2):
        attempt(client, "wrong")
    assert attempt(client, "correct-horse-battery").status_code == 302
    client.post("/accounts/logout/")
    for _ in range(2):
        assert attempt(client, "wrong").status_code == 200


@override_settings(AXES_FAILURE_LIMIT=3, LANGUAGE_CODE="en")
def test_the_lockout_page_speaks_english_when_asked(client):
    UserFactory(username="kees")
    client.cookies["django_language"] = "en"
    for _ in range(3):
        response = attempt(client, "wrong")
    assert "Temporarily locked" in response.content.decode()
