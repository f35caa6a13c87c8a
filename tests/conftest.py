"""Shared fixtures: one named user per role (after healthchecks' alice/bob/charlie), and the
permission-matrix helper that every app's tests use for its URLs."""

import pytest

from accounts.roles import AGENT, AUDITOR, PRIVACY_OFFICER, setup_roles
from tests.factories import UserFactory

# The rows of every permission matrix: anonymous, a user without a role, and the three roles.
MATRIX_ROLES = ("anonymous", "no_role", "agent", "privacy_officer", "auditor")


@pytest.fixture
def roles(db):
    setup_roles()


@pytest.fixture
def privacy_officer(roles):
    return UserFactory(username="priya", role=PRIVACY_OFFICER)


@pytest.fixture
def agent(roles):
    return UserFactory(username="kees", role=AGENT)


@pytest.fixture
def auditor(roles):
    return UserFactory(username="anna", role=AUDITOR)


@pytest.fixture
def no_role(db):
    return UserFactory(username="nora")


@pytest.fixture
def client_as(client, request):
    """client_as("agent") logs the test client in as that role's user (or not, for anonymous)."""

    def log_in(role: str):
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return log_in


def assert_status(client, url: str, expected: int, method: str = "get", data=None):
    response = getattr(client, method)(url, data or {})
    assert response.status_code == expected, (
        f"{method.upper()} {url}: expected {expected}, got {response.status_code}"
    )
    return response
