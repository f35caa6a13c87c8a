"""Fixtures shared by the desk's service tests."""

import pytest

from requests_desk.services import request_verify_identity
from tests.factories import open_request
from tests.requests_desk.mailservers import imap_server, smtp_sink  # noqa: F401 — the mailbox tests


@pytest.fixture
def request_in_progress(register, agent):
    request = open_request()
    return request_verify_identity(request=request, method="email", by=agent)
