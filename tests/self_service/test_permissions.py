"""URL × role → status for the public pages: public for everyone, anonymous included; the pending
submissions are exposed nowhere else (no admin, no role holds a permission on them)."""

import pytest
from django.contrib.auth.models import Permission

from accounts.roles import ROLES, permissions_for
from tests.conftest import MATRIX_ROLES, assert_status

EVERYONE = dict.fromkeys(MATRIX_ROLES, 200)

MATRIX = {
    "/privacy/verzoek/": EVERYONE,
    "/privacy/verzoek/verstuurd/": EVERYONE,
    # A link that is not ours: the same clear page for everyone, nothing behind it.
    "/privacy/verzoek/bevestig/not-a-token/": dict.fromkeys(MATRIX_ROLES, 400),
    "/privacy/verzoek/bevestigd/not-a-token/": dict.fromkeys(MATRIX_ROLES, 400),
    "/privacy/voorkeuren/": EVERYONE,
    "/privacy/voorkeuren/verstuurd/": EVERYONE,
    "/privacy/voorkeuren/not-a-token/": dict.fromkeys(MATRIX_ROLES, 400),
    "/privacy/voorkeuren/not-a-token/bewijs/1/": dict.fromkeys(MATRIX_ROLES, 400),
    # No admin for pending submissions: personal data that lives a day, for nobody to browse.
    "/admin/self_service/pendingsubmission/": {
        "anonymous": 302,
        "no_role": 302,
        "agent": 302,
        "privacy_officer": 404,
        "auditor": 404,
    },
}


@pytest.mark.parametrize(
    ("url", "role"), [(url, role) for url, row in MATRIX.items() for role in row]
)
def test_permission_matrix(client_as, url, role):
    assert_status(client_as(role), url, MATRIX[url][role])


def test_no_role_holds_a_permission_on_pending_submissions(roles):
    for role in ROLES:
        assert not permissions_for(role).filter(content_type__app_label="self_service").exists()
    assert Permission.objects.filter(content_type__app_label="self_service").exists()
